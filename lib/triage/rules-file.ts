// A Falco rules file of exceptions, written through the yaml library's document model: every
// string is a double-quoted YAML scalar, so nothing an alert carries can retype or restructure it.
import { Document, type Node, YAMLMap, YAMLSeq } from 'yaml';
import type { ExceptionValue, FalcoException } from './exceptions';

// Falco's condition parser takes a value bare only when it holds none of these; Falco itself
// quotes a value with a space but escapes nothing inside (docs/decisions/0036).
const BARE = /^[^()"'\s=,]+$/u;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\f': '\\f',
  '\b': '\\b',
};

/** A value as Falco's condition parser must read it: bare, or in its double quotes with its escapes. */
export function falcoValue(value: string): string {
  return BARE.test(value) ? value : `"${value.replace(/[\\"\n\r\t\f\b]/g, (c) => ESCAPES[c]!)}"`;
}

// A comment is one line of text whatever an alert put in it: YAML 1.1 readers break lines at more than \n.
const commentText = (text: string, max = 200) => {
  const line = text.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');
  return ` ${line.length > max ? `${line.slice(0, max)}…` : line}`;
};

export interface RulesFileMeta {
  who: string;
  at: Date;
}

/** The rules file: one item per rule, appending its exceptions, each with a comment saying where it came from. */
export function rulesFileYaml(exceptions: readonly FalcoException[], { who, at }: RulesFileMeta): string {
  const byRule = new Map<string, FalcoException[]>();
  for (const exception of exceptions) {
    const list = byRule.get(exception.rule);
    if (list) list.push(exception);
    else byRule.set(exception.rule, [exception]);
  }
  const doc = new Document([] as unknown[]);
  const items = doc.contents as YAMLSeq;
  for (const [rule, list] of byRule) {
    const item = new YAMLMap();
    item.add(doc.createPair('rule', rule));
    const seq = new YAMLSeq();
    for (const exception of list) seq.items.push(exceptionNode(doc, exception, who, at));
    item.add(doc.createPair('exceptions', seq));
    item.add(doc.createPair('override', { exceptions: 'append' }));
    items.items.push(item);
  }
  doc.commentBefore = commentText(
    `Falco exceptions written by Perch for ${who} at ${at.toISOString()}. Load this file after the rules it extends (Falco's rules_files, or the Falco chart's customRules).`,
    1_000,
  );
  return doc.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
}

function exceptionNode(doc: Document, exception: FalcoException, who: string, at: Date): Node {
  const flow = (values: readonly string[]) => {
    const seq = doc.createNode(values) as YAMLSeq;
    seq.flow = true;
    return seq;
  };
  const tuple = (values: readonly ExceptionValue[]) => {
    const seq = new YAMLSeq();
    for (const value of values)
      seq.items.push(typeof value === 'string' ? doc.createNode(falcoValue(value)) : flow(value.map(falcoValue)));
    return seq;
  };
  const node = new YAMLMap();
  node.add(doc.createPair('name', exception.name));
  node.add(doc.createPair('fields', flow(exception.fields)));
  node.add(doc.createPair('comps', flow(exception.comps)));
  const values = new YAMLSeq();
  for (const t of exception.values) values.items.push(tuple(t));
  node.add(doc.createPair('values', values));
  const origin = [
    `by ${who} at ${at.toISOString()}`,
    exception.group === undefined ? null : `group ${exception.group}`,
    exception.matched === undefined ? null : `matched ${exception.matched} stored alert(s) when written`,
  ].filter((part) => part !== null);
  node.commentBefore = commentText(origin.join('; '), 400);
  return node;
}
