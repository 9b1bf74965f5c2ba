// @ts-check
// The report of `npm run bench`: number formats, the issue's targets with met / missed, markdown
// tables, and the generated section of docs/benchmarks.md between its markers.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const MARK_START = '<!-- bench:start -->';
const MARK_END = '<!-- bench:end -->';

/** @param {unknown} n @returns {n is number} */
const finite = (n) => typeof n === 'number' && Number.isFinite(n);
/** @param {unknown} n */
export const int = (n) => (finite(n) ? Math.round(n).toLocaleString('en') : '—');
/** @param {unknown} n */
export const ms = (n) => (!finite(n) ? '—' : n >= 1000 ? int(n) : n.toFixed(1));
/** @param {unknown} bytes */
export const kb = (bytes) => (finite(bytes) ? `${(bytes / 1000).toFixed(1)} KB` : '—');
/** @param {unknown} bytes */
export const mb = (bytes) => (finite(bytes) ? `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)} MB` : '—');
/** @param {unknown} ratio */
export const pct = (ratio) =>
  !finite(ratio) ? '—' : ratio < 0.1 ? `${(ratio * 100).toFixed(1)}%` : `${Math.round(ratio * 100)}%`;

/**
 * The issue's targets, each checked where its number is printed and listed again at the end; the
 * misses of one `group` (a table's rows) are summed up in one line there.
 */
/** @typedef {{ what: string, shown: string, met: boolean, verdict: string, factor: number, group: string | null }} Target */

export class Targets {
  /** @type {Target[]} */
  list = [];

  /**
   * `kind` 'below': met when value < limit; 'atLeast': met when value >= limit. Returns the verdict
   * for the table: "met", or "missed" with how far off.
   * @param {string} what
   * @param {unknown} value
   * @param {number} limit
   * @param {'below' | 'atLeast'} kind
   * @param {string} shown
   * @param {string | null} [group]
   */
  check(what, value, limit, kind, shown, group = null) {
    if (!finite(value)) return '—';
    const met = kind === 'below' ? value < limit : value >= limit;
    const factor = kind === 'below' ? value / limit : limit / value;
    let verdict = 'met';
    if (!met) {
      if (kind === 'below')
        verdict =
          factor >= 2 ? `missed (${factor.toFixed(1)}× the limit)` : `missed (+${Math.round((factor - 1) * 100)}%)`;
      else verdict = `missed (${Math.round((1 - value / limit) * 100)}% short)`;
    }
    this.list.push({ what, shown, met, verdict, factor, group });
    return verdict;
  }

  summary() {
    const missed = this.list.filter((t) => !t.met);
    const lines = [`${this.list.length - missed.length} of ${this.list.length} targets met.`];
    if (missed.length === 0) return lines.join('\n');
    lines.push('', 'Missed:', '');
    /** @type {Map<string, Target[]>} */
    const groups = new Map();
    for (const t of missed) {
      if (t.group === null) lines.push(`- ${t.what}: ${t.shown} — ${t.verdict}`);
      else groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
    }
    for (const [group, misses] of groups) {
      const total = this.list.filter((t) => t.group === group).length;
      const worst = misses.reduce((a, b) => (b.factor > a.factor ? b : a));
      lines.push(
        `- ${group}: ${misses.length} of ${total} missed; the worst, ${worst.what}: ${worst.shown} — ${worst.verdict}`,
      );
    }
    return lines.join('\n');
  }
}

/**
 * A markdown table with padded columns; `right` lists the columns to align right.
 * @param {readonly unknown[]} headers
 * @param {readonly (readonly unknown[])[]} rows
 * @param {readonly number[]} [right]
 */
export function table(headers, rows, right = []) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (/** @type {string[]} */ row) =>
    `| ${row.map((cell, i) => (right.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right.includes(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}

/**
 * The issue's query targets: p95 in ms by what the query serves.
 * @param {string} label
 */
function queryLimitMs(label) {
  if (/export/i.test(label)) return null;
  if (/process tree|process chains/i.test(label)) return 500;
  // Triage groups: the issue's targets, a day's list and a page of a group's alerts tighter than longer ranges.
  if (/^groups /i.test(label)) return /^groups 24h/i.test(label) || /first page/i.test(label) ? 200 : 500;
  // Free text's first page has a looser target than every other filter's (docs/benchmarks.md).
  if (/\bq\b|free text|search/i.test(label)) return /first page|page \d+/i.test(label) ? 100 : 200;
  if (/explorer.*(first page|page \d+)|detail/i.test(label)) return 50;
  return 200;
}

const splitRow = (/** @type {string} */ line) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

/**
 * Adds target and verdict columns to the markdown tables in bench-queries' output (any table with
 * a p95 column); other lines pass through unchanged.
 * @param {string} text
 * @param {Targets} targets
 * @param {string} context
 */
export function annotateQueryTables(text, targets, context) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i] ?? '';
    const isTable = header.trim().startsWith('|') && /^\s*\|[\s:|-]+\|\s*$/.test(lines[i + 1] ?? '');
    const p95 = isTable ? splitRow(header).findIndex((cell) => /^p95/i.test(cell)) : -1;
    if (p95 < 0) {
      out.push(header);
      continue;
    }
    /** @type {string[][]} */
    const rows = [];
    let j = i + 2;
    for (; j < lines.length && (lines[j] ?? '').trim().startsWith('|'); j++) {
      const cells = splitRow(lines[j] ?? '');
      const limit = queryLimitMs(cells[0] ?? '');
      const value = Number(cells[p95]);
      const verdict =
        limit === null ? '' : targets.check(cells[0] ?? '', value, limit, 'below', `${cells[p95]} ms (p95)`, context);
      rows.push([...cells, limit === null ? '' : `< ${limit} ms`, verdict]);
    }
    const headers = [...splitRow(header), 'target p95', ''];
    out.push(
      table(
        headers,
        rows,
        headers.map((_, k) => k).filter((k) => k > 0 && k < headers.length - 2),
      ),
    );
    i = j - 1;
  }
  return out.join('\n');
}

/**
 * Writes `section` between the markers of `file`, leaving everything outside them as it is; adds
 * the markers at the end when the file has none.
 * @param {string} file
 * @param {string} section
 */
export function writeMarked(file, section) {
  const block = `${MARK_START}\n${section.trim()}\n${MARK_END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(MARK_START);
  const end = text.indexOf(MARK_END);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${block}${text.slice(end + MARK_END.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
