// Turns body entries into alerts ready to store, or into issues that name the entry and the field.
import type { z } from 'zod';
import type { ErrorIssue } from '../errors';
import { getConfig } from '../config';
import { checkedAlert, FalcoAlert, toStoredAlert, type Arrival, type StoredAlert } from '../falco/alert';
import { stringifyJson } from '../falco/json';
import { msToNs } from '../falco/time';
import { nestingDepth, objectMemberText, type BodyEntry, type EntryPosition } from './split-body';

/** Falco's alerts nest three levels at most; far deeper JSON is an attack on whoever reads it back. */
const MAX_NESTING = 32;

interface PreparedEntry {
  position: EntryPosition;
  alert: StoredAlert;
}

export interface PreparedBody {
  valid: PreparedEntry[];
  issues: ErrorIssue[];
  /** True when at least one issue is a JSON syntax error rather than a bad alert. */
  hasSyntaxErrors: boolean;
  /** True when checking stopped at `stopAfterIssues`: `valid` and `issues` are then incomplete. */
  stoppedEarly: boolean;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function issueCode(issue: z.core.$ZodIssue, field: string, alert: Record<string, unknown>): string {
  // zod does not echo the input back, so "missing" is decided on the alert itself.
  if (issue.code === 'invalid_type')
    return issue.path.length === 1 && alert[String(issue.path[0])] === undefined ? 'missing_field' : 'wrong_type';
  if (issue.code === 'too_small') return 'empty_field';
  if (field === 'time') return 'invalid_time';
  if (field === 'priority') return 'unknown_priority';
  return issue.code;
}

function issueMessage(issue: z.core.$ZodIssue, field: string, code: string): string {
  if (code === 'missing_field') return `${field} is required`;
  if (code === 'wrong_type') return `${field}: ${issue.message.replace(/^Invalid input: /, '')}`;
  return issue.message;
}

/**
 * falcosidekick's `webui` output wraps the alert: {"event": {...}, "outputs": [...]}. Returns the
 * alert and its exact text, or the value itself when it is a bare alert.
 */
function unwrapEnvelope(value: Record<string, unknown>, raw: string): [Record<string, unknown>, string] {
  if (!('rule' in value) && isPlainObject(value.event)) {
    return [value.event, objectMemberText(raw, 'event') ?? stringifyJson(value.event)];
  }
  return [value, raw];
}

export interface PrepareOptions {
  /** End the work once this many issues are found, for a caller that refuses the whole body anyway. */
  stopAfterIssues?: number;
  /** The arrival time: an alert dated more than `maxClockSkewMs` after it is stored at it. */
  nowMs?: number;
  /** PERCH_MAX_CLOCK_SKEW unless given. */
  maxClockSkewMs?: number;
}

/**
 * Validates and normalises every entry. `stopAfterIssues` ends the work once that many issues are
 * found, for a caller that refuses the whole body anyway (checking 20,000 bad entries takes seconds).
 */
export function prepareEntries(
  entries: readonly BodyEntry[],
  {
    stopAfterIssues = Number.POSITIVE_INFINITY,
    nowMs = Date.now(),
    maxClockSkewMs = getConfig().maxClockSkewMs,
  }: PrepareOptions = {},
): PreparedBody {
  const arrival: Arrival = { nowNs: msToNs(nowMs), maxSkewNs: msToNs(maxClockSkewMs) };
  const valid: PreparedEntry[] = [];
  const issues: ErrorIssue[] = [];
  let hasSyntaxErrors = false;

  for (const entry of entries) {
    if (issues.length >= stopAfterIssues) {
      // Whether any entry is not JSON still decides the error code; that much is already known.
      return {
        valid,
        issues,
        hasSyntaxErrors: hasSyntaxErrors || entries.some((e) => e.syntaxError !== undefined),
        stoppedEarly: true,
      };
    }
    if (entry.syntaxError !== undefined) {
      hasSyntaxErrors = true;
      issues.push({ ...entry.position, code: 'invalid_json', message: `not valid JSON: ${entry.syntaxError}` });
      continue;
    }
    if (!isPlainObject(entry.value)) {
      issues.push({ ...entry.position, code: 'not_an_object', message: 'an alert must be a JSON object' });
      continue;
    }
    const [value, raw] = unwrapEnvelope(entry.value, entry.raw);
    if (nestingDepth(raw) > MAX_NESTING) {
      issues.push({
        ...entry.position,
        code: 'too_deeply_nested',
        message: `an alert may nest objects and arrays at most ${MAX_NESTING} levels deep`,
      });
      continue;
    }
    const checked = checkedAlert(value);
    const parsed = checked ? { success: true as const, data: checked } : FalcoAlert.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || '(alert)';
        const code = issueCode(issue, field, value);
        issues.push({ ...entry.position, field, code, message: issueMessage(issue, field, code) });
      }
      continue;
    }
    // The original object, not zod's copy: keys such as `__proto__` must stay ordinary keys.
    const fields = isPlainObject(value.output_fields) ? value.output_fields : {};
    valid.push({ position: entry.position, alert: toStoredAlert(parsed.data, fields, raw, arrival) });
  }
  return { valid, issues, hasSyntaxErrors, stoppedEarly: false };
}
