// CSV export of alerts. Cells are quoted per RFC 4180, and a cell that a spreadsheet would run as a
// formula (starting with = + - @ or their fullwidth forms, after any blank or zero-width characters,
// or with a tab or CR) is prefixed with ' so it stays text.
import type { EventSummary } from './types';

export const CSV_COLUMNS = [
  ['id', (e) => e.id],
  ['time', (e) => e.time],
  ['priority', (e) => e.priority],
  ['rule', (e) => e.rule],
  ['source', (e) => e.source],
  ['hostname', (e) => e.hostname],
  ['container_id', (e) => e.containerId],
  ['container_name', (e) => e.containerName],
  ['image', (e) => (e.imageRepository ? `${e.imageRepository}${e.imageTag ? `:${e.imageTag}` : ''}` : null)],
  ['namespace', (e) => e.k8sNamespace],
  ['pod', (e) => e.k8sPod],
  ['process', (e) => e.procName],
  ['cmdline', (e) => e.procCmdline],
  ['parent', (e) => e.parentName],
  ['user', (e) => e.userName],
  ['file', (e) => e.fdName],
  ['tags', (e) => e.tags.join(' ')],
  ['output', (e) => e.output],
] as const satisfies readonly (readonly [string, (event: EventSummary) => string | number | null])[];

// Spreadsheets skip leading blanks before a formula, and some read ＝ ＋ － ＠ as = + - @.
const FORMULA_START = /^(?:[\t\r]|[\s\u180e\u200b-\u200d\u2060]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = () => `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;

export function csvRow(event: EventSummary): string {
  return `${CSV_COLUMNS.map(([, read]) => csvCell(read(event))).join(',')}\r\n`;
}
