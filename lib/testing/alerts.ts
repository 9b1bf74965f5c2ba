// Test alerts for unit tests and Playwright alike: Falco's http_output shape with names unique to
// each test, and the StoredAlert the ingest path makes of a value.
import { FalcoAlert, toStoredAlert, type StoredAlert } from '../falco/alert';
import { parseJson, stringifyJson } from '../falco/json';

/** A short id that keeps one test's alerts apart from every other test's. */
export function uniqueTag(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

let clockUs = (Date.now() - 60_000) * 1_000;

/**
 * A time a little after the previous one, with nine fractional digits like Falco's. It follows the
 * clock a minute behind, a microsecond a step, so a run's many alerts neither reach
 * PERCH_MAX_CLOCK_SKEW ahead of now nor drift past the moment a test sets a triage status.
 */
export function nextFalcoTime(): string {
  clockUs = Math.max(clockUs + 1, (Date.now() - 60_000) * 1_000);
  const ms = Math.floor(clockUs / 1_000);
  const iso = new Date(ms).toISOString();
  const micros = String(clockUs % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${micros}${String(Math.floor(Math.random() * 1e3)).padStart(3, '0')}Z`;
}

export interface AlertOptions {
  rule?: string;
  priority?: string;
  hostname?: string;
  source?: string;
  time?: string;
  tags?: string[];
  /** Laid over the default fields, or in their place when `defaultFields` is false. */
  fields?: Record<string, unknown>;
  defaultFields?: boolean;
  output?: string;
  uuid?: string;
}

const DEFAULT_FIELDS: Readonly<Record<string, unknown>> = {
  'container.id': 'host',
  'container.name': 'host',
  'evt.type': 'openat',
  'fd.name': '/etc/shadow',
  'proc.aname[2]': 'sudo',
  'proc.aname[3]': 'bash',
  'proc.aname[4]': 'tmux',
  'proc.cmdline': 'cat /etc/shadow',
  'proc.exepath': '/usr/bin/cat',
  'proc.name': 'cat',
  'proc.pname': 'sudo',
  'user.name': 'root',
};

/** A syscall alert shaped like `Read sensitive file untrusted` (corpus line 16). */
export function makeAlert(options: AlertOptions = {}): Record<string, unknown> {
  const time = options.time ?? nextFalcoTime();
  const fields = options.defaultFields === false ? { ...options.fields } : { ...DEFAULT_FIELDS, ...options.fields };
  const priority = options.priority ?? 'Warning';
  const alert: Record<string, unknown> = {
    hostname: options.hostname ?? 'e2e-host',
    output:
      options.output ??
      `${time.slice(11, 29)}: ${priority} Sensitive file opened for reading by non-trusted program (file=${String(fields['fd.name'])} process=${String(fields['proc.name'])} command=${String(fields['proc.cmdline'])})`,
    output_fields: fields,
    priority,
    rule: options.rule ?? 'Read sensitive file untrusted',
    source: options.source ?? 'syscall',
    tags: options.tags ?? ['T1555', 'container', 'filesystem', 'host', 'maturity_stable', 'mitre_credential_access'],
    time,
  };
  if (options.uuid) alert.uuid = options.uuid;
  return alert;
}

/** What ingest stores of an alert value: validated, normalised with its own fields; `raw` is its JSON text. */
export function storedAlert(value: Record<string, unknown>, raw: string = stringifyJson(value)): StoredAlert {
  return toStoredAlert(FalcoAlert.parse(value), (value.output_fields ?? {}) as Record<string, unknown>, raw);
}

/** What ingest stores of one line of JSON, kept byte for byte as the alert's raw text. */
export function storedLine(raw: string): StoredAlert {
  return storedAlert(parseJson(raw) as Record<string, unknown>, raw);
}
