import 'server-only';
// Setting the triage status of groups, and reading their history and the whole log: who may change
// what, the change checked before it reaches the store, and the answers' shapes.
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { getAccessConfig } from '../access/access-config';
import { crossSiteRefusal, mediaType, type HeaderReader } from '../access/cross-site';
import type { Viewer } from '../access/viewer';
import { getDb } from '../db/connection';
import {
  groupHistory,
  groupStatuses,
  setGroupStatus,
  triageLog,
  type HistoryEntry,
  type TriageLogEntry,
} from '../db/triage';
import { DomainError, Forbidden, type ErrorIssue } from '../errors';
import { csvCell } from '../events/csv';
import { stringifyJson } from '../falco/json';
import { formatTimeNs, msToNs } from '../falco/time';
import {
  formatGroupKey,
  GROUPINGS,
  parseGroupKey,
  TRIAGE_STATUSES,
  type GroupKeyFields,
  statusView,
  type GroupingName,
  type GroupStatusView,
  type ParsedGroupKey,
  type TriageStatus,
} from './groupings';

const MAX_GROUPS_PER_CHANGE = 500;
const MAX_NOTE_LENGTH = 2_000;
const MAX_EXCEPTION_LENGTH = 65_536;

const KEY_HINT = `a grouping code (${GROUPINGS.map((g) => g.code).join(', ')}), a dash and 16 hex digits, like ric-0a1b2c3d4e5f6789`;

const GroupKeyText = z
  .string({ error: 'Each group must be a key such as ric-0a1b2c3d4e5f6789.' })
  .superRefine((key, context) => {
    if (!parseGroupKey(key))
      context.addIssue({
        code: 'custom',
        message: `${JSON.stringify(key.slice(0, 40))} is not a group key: ${KEY_HINT}.`,
        params: { code: 'invalid_key' },
      });
  });

/** The body of `POST /api/groups/status`. */
export const TriageChange = z
  .strictObject(
    {
      groups: z
        .array(GroupKeyText, { error: 'groups must be an array of group keys.' })
        .min(1, 'groups must name at least one group.')
        .max(MAX_GROUPS_PER_CHANGE, `groups may name at most ${MAX_GROUPS_PER_CHANGE} groups.`),
      status: z.enum(TRIAGE_STATUSES, { error: `status must be one of ${TRIAGE_STATUSES.join(', ')}.` }),
      note: z
        .string({ error: 'note must be text.' })
        .max(MAX_NOTE_LENGTH, `note may be at most ${MAX_NOTE_LENGTH} characters.`)
        .nullish(),
      exception: z
        .string({ error: 'exception must be text: the rules file as YAML.' })
        .max(MAX_EXCEPTION_LENGTH, `exception may be at most ${MAX_EXCEPTION_LENGTH} characters.`)
        .nullish(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unknown key(s) ${issue.keys.join(', ')}: a change takes groups, status, note and exception.`
          : 'Send {"groups": [ … ], "status": "…", "note": "…"} as a JSON object.',
    },
  )
  .superRefine((change, context) => {
    if (change.exception == null) return;
    if (change.status !== 'benign')
      context.addIssue({
        code: 'custom',
        path: ['exception'],
        message: 'An exception goes only with status benign: it says why the group went quiet.',
        params: { code: 'not_benign' },
      });
    else if (parseDocument(change.exception).errors.length > 0)
      context.addIssue({
        code: 'custom',
        path: ['exception'],
        message: 'exception must be YAML: the Falco rules file the group was silenced with.',
        params: { code: 'invalid_yaml' },
      });
  });
export type TriageChange = z.infer<typeof TriageChange>;

/** A triage change that is not one; each issue names its field, and for a key its index in `groups`. */
class InvalidTriage extends DomainError {
  constructor(issues: ErrorIssue[]) {
    const listed = issues
      .slice(0, 3)
      .map((issue) => issue.message)
      .join(' ');
    super('invalid_triage', `${issues.length} problem(s) in the triage change: ${listed}`, issues);
  }
}

function issueOf(issue: z.core.$ZodIssue): ErrorIssue {
  const [first, second] = issue.path;
  const code = issue.code === 'custom' ? String(issue.params?.code ?? 'custom') : issue.code;
  const field = issue.code === 'unrecognized_keys' ? issue.keys.join(',') : String(first ?? '');
  return typeof second === 'number'
    ? { index: second, field, code, message: issue.message }
    : { field, code, message: issue.message };
}

/** The change a body asks for, every fault named; throws InvalidTriage. */
export function parseTriageChange(body: unknown): TriageChange & { keys: ParsedGroupKey[] } {
  const parsed = TriageChange.safeParse(body);
  if (!parsed.success) throw new InvalidTriage(parsed.error.issues.map(issueOf));
  return { ...parsed.data, keys: parsed.data.groups.map((key) => parseGroupKey(key)!) };
}

/**
 * Who makes a change: the user, or "anonymous" while login is off. Refuses another site's page,
 * anything but JSON (a form from another site needs no preflight), and view tokens (read-only).
 */
export function changedBy(viewer: Viewer, header: HeaderReader): string {
  const refusal = crossSiteRefusal(header, getAccessConfig().allowedHosts);
  if (refusal) throw new DomainError('cross_site_request', refusal);
  if (mediaType(header('content-type')) !== 'application/json')
    throw new DomainError(
      'cross_site_request',
      'Send the change as JSON with Content-Type: application/json. Other content types are what a form on another site can send, so they are refused.',
    );
  if (viewer.kind === 'view-token')
    throw new Forbidden(`The view token "${viewer.name}" may read but not change anything; log in to triage.`);
  return viewer.kind === 'anyone' ? 'anonymous' : viewer.name;
}

/** A group's status in the API, as `GET /api/groups` gives it too; never set: open, with nothing else. */
interface HistoryEntryView {
  status: TriageStatus;
  at: string;
  by: string;
  note: string | null;
  exception: string | null;
}

const entryView = ({ status, atNs, by, note, exception }: HistoryEntry): HistoryEntryView => ({
  status,
  at: formatTimeNs(atNs),
  by,
  note,
  exception,
});

export interface StatusChangeAnswer {
  groups: { key: string; status: GroupStatusView }[];
}

const STORE_FAULTS = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED)/;

/** Sets the status of the change's groups, by `who`; answers each group's status as it now reads. */
export function setStatuses(
  change: ReturnType<typeof parseTriageChange>,
  who: string,
  nowMs = Date.now(),
): StatusChangeAnswer {
  const db = getDb();
  try {
    setGroupStatus(db, {
      keys: change.keys,
      status: change.status,
      note: change.note || null,
      by: who,
      atNs: msToNs(nowMs),
      exception: change.exception || null,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !STORE_FAULTS.test(code)) throw error;
    console.error('[perch] a triage change could not be saved:', error);
    throw new DomainError('store_unavailable', 'The store cannot take the change right now; retry.', undefined, 5);
  }
  const keys = [...new Map(change.keys.map((key) => [formatGroupKey(key.grouping.code, key.hex), key])).entries()];
  return {
    groups: keys.map(([text, { grouping, hex }]) => ({
      key: text,
      status: statusView(groupStatuses(db, grouping, [hex]).get(hex)),
    })),
  };
}

export interface GroupHistoryAnswer {
  key: string;
  grouping: GroupingName;
  fields: GroupKeyFields;
  status: GroupStatusView;
  /** Newest first. */
  history: HistoryEntryView[];
}

/** A group's history by its key as the API spells it; UnknownGroup (404) for a key of nothing. */
export function historyOf(keyText: string): GroupHistoryAnswer {
  const key = parseGroupKey(keyText);
  if (!key)
    throw new DomainError('unknown_group', `${JSON.stringify(keyText.slice(0, 40))} is not a group key: ${KEY_HINT}.`);
  const db = getDb();
  const { fields, entries } = groupHistory(db, key);
  return {
    key: formatGroupKey(key.grouping.code, key.hex),
    grouping: key.grouping.name,
    fields,
    status: statusView(groupStatuses(db, key.grouping, [key.hex]).get(key.hex)),
    history: entries.map(entryView),
  };
}

export const TRIAGE_LOG_FORMATS = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
} as const;
export type TriageLogFormat = keyof typeof TRIAGE_LOG_FORMATS;

const CSV_COLUMNS = [
  ['id', (e) => e.id],
  ['at', (e) => formatTimeNs(e.atNs)],
  ['key', (e) => e.key],
  ['grouping', (e) => e.grouping],
  ['status', (e) => e.status],
  ['by', (e) => e.by],
  ['note', (e) => e.note],
  ['rule', (e) => e.fields.rule],
  ['image', (e) => e.fields.image ?? null],
  ['host', (e) => e.fields.host ?? null],
  ['chain', (e) => e.fields.chain?.join(' > ') ?? null],
  ['user', (e) => e.fields.user ?? null],
  ['namespace', (e) => e.fields.namespace ?? null],
  ['exception', (e) => e.exception],
] as const satisfies readonly (readonly [string, (entry: TriageLogEntry) => string | number | null])[];

const csvLine = (entry: TriageLogEntry) => `${CSV_COLUMNS.map(([, read]) => csvCell(read(entry))).join(',')}\r\n`;

const ndjsonLine = ({ id, atNs, key, grouping, status, by, note, exception, fields }: TriageLogEntry) =>
  `${stringifyJson({ id, at: formatTimeNs(atNs), key, grouping, status, by, note, exception, fields })}\n`;

const CHUNK = 500;

/** The whole triage log, oldest first, as text chunks; other requests run between chunks. */
export async function* triageLogChunks(format: TriageLogFormat): AsyncGenerator<string> {
  const line = format === 'csv' ? csvLine : ndjsonLine;
  let chunk = format === 'csv' ? `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n` : '';
  let lines = 0;
  for (const entry of triageLog(getDb())) {
    chunk += line(entry);
    if (++lines % CHUNK === 0) {
      yield chunk;
      chunk = '';
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (chunk !== '') yield chunk;
}
