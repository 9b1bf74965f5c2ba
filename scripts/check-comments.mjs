// @ts-check
// node scripts/check-comments.mjs [--strict] [dir…]: lists comment blocks longer than three lines and
// comments that carry figures, per CONTRIBUTING.md. Prints a report; --strict exits 1 when it finds any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOTS = ['app', 'components', 'lib', 'scripts', 'e2e'];
const EXTENSIONS = /\.(ts|tsx|mjs|sql)$/;
// A shipped migration is never edited, comments included: its words stay as shipped.
const SKIP_DIRS = new Set(['node_modules', '.next', '.e2e', 'migrations']);
const MAX_LINES = 3;
// A number with a unit, a percentage, a ratio, or the word for having timed something.
export const FIGURE =
  /\b\d[\d,.]*\s?(?:ms|µs|us|ns|s|sec|seconds?|minutes?|hours?|MB|KB|kB|GB|MiB|GiB|bytes|x|×)(?![\w])|\d%|\bmeasured\b/i;

/**
 * @param {string} dir
 * @returns {string[]}
 */
function filesUnder(dir) {
  /** @type {string[]} */
  const out = [];
  if (EXTENSIONS.test(dir) && statSync(dir, { throwIfNoEntry: false })?.isFile()) return [dir];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...filesUnder(path));
    } else if (EXTENSIONS.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * Comment blocks of a file: runs of consecutive comment lines, with the line each starts on.
 * @param {string} text
 * @param {boolean} sql
 * @returns {{ start: number, lines: string[] }[]}
 */
export function commentBlocks(text, sql) {
  /** @type {{ start: number, lines: string[] }[]} */
  const blocks = [];
  /** @type {{ start: number, lines: string[] } | null} */
  let current = null;
  let inBlock = false;
  /** A trailing comment after code is a block of its own. @type {(code: string, index: number) => void} */
  const pushTrailing = (code, index) => {
    const trailing = sql ? code.indexOf(' -- ') : code.indexOf(' // ');
    if (trailing >= 0 && !/['"`]/.test(code.slice(0, trailing)))
      blocks.push({ start: index + 1, lines: [code.slice(trailing + 1).trim()] });
  };
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    let isComment = false;
    let body = '';
    if (inBlock) {
      isComment = true;
      body = trimmed;
      if (trimmed.includes('*/')) inBlock = false;
    } else if (trimmed.startsWith('/*') && /\*\/\s*\S/.test(trimmed)) {
      // A `/* … */` before code on its line (a row's number in a table of test data) labels the code.
      if (current) blocks.push(current);
      current = null;
      blocks.push({ start: index + 1, lines: [trimmed.slice(0, trimmed.indexOf('*/') + 2)] });
      pushTrailing(line.slice(line.indexOf('*/') + 2), index);
    } else if (trimmed.startsWith('/*')) {
      isComment = true;
      body = trimmed;
      inBlock = !trimmed.includes('*/');
    } else if (trimmed.startsWith('//') || (sql && trimmed.startsWith('--'))) {
      isComment = true;
      body = trimmed;
    } else {
      pushTrailing(line, index);
    }
    if (isComment) {
      if (!current) current = { start: index + 1, lines: [] };
      current.lines.push(body);
    } else if (current) {
      blocks.push(current);
      current = null;
    }
  });
  if (current) blocks.push(current);
  return blocks;
}

/**
 * @param {string[]} lines
 * @returns {number} the lines that hold words; JSDoc type tags, which `// @ts-check` needs, do not count
 *   (inside a block or on a line of their own), nor does `// @ts-check` itself
 */
export const wordLines = (lines) =>
  lines.filter(
    (line) =>
      /[\p{L}\p{N}]/u.test(line) &&
      !/^(?:\/\*)?\*\s*@(?:param|returns|type|typedef|template)\b|^\/\/\s*@ts-check$/.test(line),
  ).length;

function main() {
  const args = process.argv.slice(2);
  const strict = args.includes('--strict');
  const roots = args.filter((arg) => !arg.startsWith('--'));
  const files = (roots.length > 0 ? roots : ROOTS).flatMap(filesUnder).sort();
  /** @type {Map<string, { long: number, figures: number, worst: number, notes: string[] }>} */
  const perFile = new Map();
  let long = 0;
  let figures = 0;
  for (const file of files) {
    const name = relative(process.cwd(), file);
    for (const block of commentBlocks(readFileSync(file, 'utf8'), file.endsWith('.sql'))) {
      const size = wordLines(block.lines);
      const isLong = size > MAX_LINES;
      const hasFigure = block.lines.some((line) => FIGURE.test(line));
      if (!isLong && !hasFigure) continue;
      const entry = perFile.get(name) ?? { long: 0, figures: 0, worst: 0, notes: [] };
      if (isLong) {
        entry.long++;
        long++;
      }
      if (hasFigure) {
        entry.figures++;
        figures++;
      }
      entry.worst = Math.max(entry.worst, size);
      entry.notes.push(`  ${name}:${block.start} ${size} line${size === 1 ? '' : 's'}${hasFigure ? ', figures' : ''}`);
      perFile.set(name, entry);
    }
  }
  const rows = [...perFile.entries()].sort((a, b) => b[1].long + b[1].figures - (a[1].long + a[1].figures));
  console.log(`| file | blocks over ${MAX_LINES} lines | blocks with figures | longest block |`);
  console.log('|---|---|---|---|');
  for (const [name, entry] of rows) console.log(`| ${name} | ${entry.long} | ${entry.figures} | ${entry.worst} |`);
  console.log(
    `\n${long} blocks over ${MAX_LINES} lines and ${figures} blocks with figures in ${perFile.size} of ${files.length} files.`,
  );
  if (args.includes('--list')) for (const [, entry] of rows) console.log(entry.notes.join('\n'));
  if (strict && perFile.size > 0) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
