import 'server-only';
// The rules file of exceptions the API answers: the rules' sources looked up in the store, every
// entry checked, then written.
import { getDb } from '../db/connection';
import { ruleSources } from '../db/rules';
import { parseExceptions } from './exceptions';
import { rulesFileYaml } from './rules-file';

/** The YAML for `{ exceptions: [...] }`, written for `who`; InvalidException names every bad entry. */
export function exceptionRulesFile(body: unknown, who: string, at = new Date()): string {
  const entries = (body as { exceptions?: unknown } | null)?.exceptions;
  const rules = Array.isArray(entries)
    ? [
        ...new Set(
          entries.map((entry) => (entry as { rule?: unknown } | null)?.rule).filter((rule) => typeof rule === 'string'),
        ),
      ]
    : [];
  const sources = ruleSources(getDb(), rules as string[]);
  return rulesFileYaml(
    parseExceptions(body, (rule) => sources.get(rule)),
    { who, at },
  );
}
