import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arrayElementTexts, hasMoreEntriesThan, objectMemberText, splitBody } from './split-body';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusText = readFileSync(CORPUS, 'utf8');
const corpusLines = corpusText.split('\n').filter((line) => line !== '');
const corpusLine = (n: number) => corpusLines[n - 1]!;

describe('splitBody', () => {
  it('returns nothing for an empty or blank body', () => {
    expect(splitBody('')).toEqual({ entries: [], skippedLines: 0 });
    expect(splitBody(' \r\n\t\n')).toEqual({ entries: [], skippedLines: 0 });
  });

  it('reads a single object (Falco http_output) with no position', () => {
    const { entries, skippedLines } = splitBody(corpusLine(16));
    expect(skippedLines).toBe(0);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.position).toEqual({});
    expect(entries[0]!.raw).toBe(corpusLine(16));
    expect((entries[0]!.value as { output_fields: Record<string, unknown> }).output_fields['evt.time']).toBe(
      1746622234502309868n,
    );
  });

  it('reads a single object followed by a newline as one entry', () => {
    const { entries } = splitBody(`${corpusLine(1)}\n`);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.raw).toBe(corpusLine(1));
  });

  it('reads a pretty-printed object as one entry', () => {
    const pretty = JSON.stringify(JSON.parse(corpusLine(37)), null, 2);
    expect(pretty.split('\n').length).toBeGreaterThan(10);
    const { entries } = splitBody(`\n${pretty}\n`);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.position).toEqual({});
    expect(entries[0]!.raw).toBe(pretty);
    expect(entries[0]!.syntaxError).toBeUndefined();
    expect((entries[0]!.value as { rule: string }).rule).toBe('Run shell untrusted');
  });

  it('reads a JSON array with the exact text and index of each element', () => {
    const elements = [corpusLine(1), corpusLine(16), corpusLine(22)];
    const body = `[\n  ${elements[0]},\n${elements[1]} ,  ${elements[2]}\n]\n`;
    const { entries } = splitBody(body);
    expect(entries.map((e) => e.position)).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }]);
    expect(entries.map((e) => e.raw)).toEqual(elements);
    expect((entries[0]!.value as { output_fields: Record<string, unknown> }).output_fields['evt.time']).toBe(
      1685022245478445995n,
    );
  });

  it('reads an empty array as no entries', () => {
    expect(splitBody('[]').entries).toEqual([]);
    expect(splitBody(' [ ] ').entries).toEqual([]);
  });

  it('reports an invalid array as one syntax error', () => {
    const { entries } = splitBody('[{"rule":"a"},');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.syntaxError).toBeTypeOf('string');
    expect(entries[0]!.value).toBeUndefined();
  });

  it('reads NDJSON with CRLF and blank lines, numbering lines from 1', () => {
    const body = `${corpusLine(1)}\r\n\r\n${corpusLine(2)}\r\n   \r\n${corpusLine(3)}\r\n`;
    const { entries, skippedLines } = splitBody(body);
    expect(skippedLines).toBe(0);
    expect(entries.map((e) => e.position)).toEqual([{ line: 1 }, { line: 3 }, { line: 5 }]);
    expect(entries.map((e) => e.raw)).toEqual([corpusLine(1), corpusLine(2), corpusLine(3)]);
    expect(entries.every((e) => e.syntaxError === undefined)).toBe(true);
  });

  it('reads the whole corpus as 87 NDJSON entries with their line numbers', () => {
    const { entries } = splitBody(corpusText);
    expect(entries).toHaveLength(87);
    entries.forEach((entry, i) => {
      expect(entry.position).toEqual({ line: i + 1 });
      expect(entry.raw).toBe(corpusLines[i]);
    });
  });

  it('reports a bad NDJSON line with its line number and keeps the others', () => {
    const body = `${corpusLine(1)}\n{"rule": \n${corpusLine(2)}\nnot json\n`;
    const { entries } = splitBody(body);
    expect(entries.map((e) => [e.position, e.syntaxError !== undefined])).toEqual([
      [{ line: 1 }, false],
      [{ line: 2 }, true],
      [{ line: 3 }, false],
      [{ line: 4 }, true],
    ]);
  });

  it('skips and counts non-JSON lines when asked (kubectl logs)', () => {
    const body = [
      'Wed Apr  6 19:31:00 2026: Falco version: 0.42.0',
      'Wed Apr  6 19:31:00 2026: Loading rules from file /etc/falco/falco_rules.yaml',
      corpusLine(37),
      '',
      'Wed Apr  6 19:31:01 2026: Starting health webserver',
      corpusLine(43),
      '[not an object]',
    ].join('\n');
    const { entries, skippedLines } = splitBody(body, { skipNonJsonLines: true });
    expect(skippedLines).toBe(4);
    expect(entries.map((e) => e.position)).toEqual([{ line: 3 }, { line: 6 }]);
    expect(entries.map((e) => e.raw)).toEqual([corpusLine(37), corpusLine(43)]);

    // Without the option the same lines are entries with syntax errors, not skipped.
    const strict = splitBody(`${corpusLine(37)}\nFalco initialized\n`);
    expect(strict.skippedLines).toBe(0);
    expect(strict.entries.map((e) => e.syntaxError !== undefined)).toEqual([false, true]);
  });

  it('keeps a top-level non-object value as a value (prepare reports it)', () => {
    expect(splitBody('"just a string"').entries[0]!.value).toBe('just a string');
    expect(splitBody('42').entries[0]!.value).toBe(42);
  });
});

describe('arrayElementTexts', () => {
  it('returns each element exactly, including strings with brackets, braces and quotes', () => {
    const elements = [
      '{"a":"]"}',
      '{"b":"}{[,"}',
      '{"c":"say \\"hi\\", [ok]"}',
      '{"d":"ends with backslash \\\\"}',
      '{"e":"\\\\\\"]"}',
      '"a \\"string\\" ]"',
      '[1, [2, {"x": "]"}]]',
      '-1.5e300',
      '1685022245478445995',
      'true',
      'null',
      '{}',
    ];
    const text = `[ ${elements.join(' ,\n\t')} ]`;
    expect(arrayElementTexts(text)).toEqual(elements);
    // And the texts parse to the same values as the whole array.
    expect(elements.map((e) => JSON.parse(e) as unknown).slice(0, 8)).toEqual(
      (JSON.parse(text) as unknown[]).slice(0, 8),
    );
  });

  it('handles compact and empty arrays', () => {
    expect(arrayElementTexts('[1,2,3]')).toEqual(['1', '2', '3']);
    expect(arrayElementTexts('[]')).toEqual([]);
    expect(arrayElementTexts('  [\n]  ')).toEqual([]);
    expect(arrayElementTexts('[""]')).toEqual(['""']);
  });

  it('splits the corpus as a JSON array back into its lines', () => {
    const text = `[${corpusLines.join(',\n')}]`;
    expect(arrayElementTexts(text)).toEqual(corpusLines);
    expect(splitBody(text).entries.map((e) => e.raw)).toEqual(corpusLines);
  });
});

describe('objectMemberText', () => {
  it('returns the exact text of a member value', () => {
    const event = corpusLine(16);
    const envelope = `{"outputs": ["WebUI"] , "event" :  ${event} }`;
    expect(objectMemberText(envelope, 'event')).toBe(event);
    expect(objectMemberText(envelope, 'outputs')).toBe('["WebUI"]');
  });

  it('skips earlier members whose values contain the key name, braces or quotes', () => {
    const text = '{"x":"\\"event\\": {","y":{"event":1},"event":{"rule":"r"},"z":2}';
    expect(objectMemberText(text, 'event')).toBe('{"rule":"r"}');
    expect(objectMemberText(text, 'z')).toBe('2');
  });

  it('matches escaped key names by their value', () => {
    expect(objectMemberText('{"ev\\u0065nt":[1]}', 'event')).toBe('[1]');
  });

  it('returns undefined for a missing key', () => {
    expect(objectMemberText('{"a":1}', 'event')).toBeUndefined();
    expect(objectMemberText('{}', 'event')).toBeUndefined();
  });
});

describe('hasMoreEntriesThan', () => {
  // The scan must agree with splitBody wherever the count matters.
  const agrees = (text: string) => {
    const count = splitBody(text).entries.length;
    expect(hasMoreEntriesThan(text, count), `${text.slice(0, 40)} has ${count}`).toBe(false);
    if (count > 0) expect(hasMoreEntriesThan(text, count - 1), `${text.slice(0, 40)} has ${count}`).toBe(true);
  };

  it('counts the elements of an array, nested arrays, objects and strings with commas included', () => {
    for (const text of [
      '[]',
      ' [ ] ',
      '[1]',
      '[1,2,3]',
      '[{},{}]',
      '[[1,2],[3,[4,5]]]',
      '["a,b","c]d",{"x":[",",","]}]',
      ' [ "x" , {} ] ',
      '[{"a":"\\"],"}]',
    ]) {
      agrees(text);
    }
  });

  it('counts NDJSON lines, blank lines left out', () => {
    agrees(corpusText);
    agrees(`\n\n${corpusLine(1)}\n\n${corpusLine(2)}\n  \n`);
  });

  it('counts a pretty-printed object as one entry however many lines it has', () => {
    const pretty = JSON.stringify(JSON.parse(corpusLine(16)), null, 2);
    expect(pretty.split('\n').length).toBeGreaterThan(20);
    expect(hasMoreEntriesThan(pretty, 1)).toBe(false);
  });

  it('says a huge body has too many entries, whichever its form', () => {
    // Splitting either takes seconds; the scan stops at the limit (no timing asserted: tests do not time).
    const array = `[${Array(2_000_000).fill('{}').join(',')}]`;
    const ndjson = Array(2_000_000).fill('{}').join('\n');
    expect(hasMoreEntriesThan(array, 10_000)).toBe(true);
    expect(hasMoreEntriesThan(ndjson, 10_000)).toBe(true);
    expect(hasMoreEntriesThan(array, 2_000_000)).toBe(false);
    expect(hasMoreEntriesThan(ndjson, 2_000_000)).toBe(false);
  });
});
