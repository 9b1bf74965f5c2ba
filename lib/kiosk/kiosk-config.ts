// The kiosk is configured entirely by its URL, so a wall screen's bookmark is its whole setup:
//   /kiosk?range=24h&minPriority=Warning&namespace=prod&rotate=20&theme=dark
// Filters use the names of GET /api/events; `range` is a shorthand for `from`.
import { allValues, EventFilter, filterInput, filterToSearchParams, type ParamSource } from '../filters/event-filter';
import { findPriority, type PriorityName } from '../falco/priorities';

export const KIOSK_PANELS = ['overview', 'rules', 'containers', 'alerts'] as const;
export type KioskPanel = (typeof KIOSK_PANELS)[number];

const DEFAULT_RANGE = '24h';
const DEFAULT_FEED_PRIORITY: PriorityName = 'Warning';
// Faster than this and a panel cannot be read before it changes.
const MIN_ROTATE_SECONDS = 5;

export interface KioskConfig {
  /** What every panel counts: the range and the filters, all priorities. */
  filter: EventFilter;
  /** The same as a query string for the API. */
  query: string;
  /** The feed shows alerts at or above this priority. */
  feedPriority: PriorityName;
  feedQuery: string;
  /** Seconds per panel when the screen shows one panel at a time; null shows them all at once. */
  rotateSeconds: number | null;
}

export type KioskConfigResult = { ok: true; config: KioskConfig } | { ok: false; problems: string[] };

export function parseKioskConfig(params: ParamSource): KioskConfigResult {
  const problems: string[] = [];
  const input = filterInput(params);
  const [range] = allValues(params, 'range');
  input.from ??= range ?? DEFAULT_RANGE;
  const feedPriority = (input.minPriority as string | undefined) ?? DEFAULT_FEED_PRIORITY;
  delete input.minPriority;
  if (findPriority(feedPriority) === undefined)
    problems.push(`minPriority: "${feedPriority}" is not a Falco priority (Emergency … Debug).`);

  const [rotateText] = allValues(params, 'rotate');
  const rotateSeconds = rotateText === undefined || rotateText === '0' ? null : Number(rotateText);
  if (
    rotateSeconds !== null &&
    !(Number.isInteger(rotateSeconds) && rotateSeconds >= MIN_ROTATE_SECONDS && rotateSeconds <= 3600)
  ) {
    problems.push(
      `rotate: "${rotateText}" must be a whole number of seconds from ${MIN_ROTATE_SECONDS} to 3600 (or 0 for no rotation).`,
    );
  }

  const parsed = EventFilter.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.issues)
      problems.push(`${issue.path.filter((p) => typeof p === 'string').join('.') || 'filter'}: ${issue.message}`);
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };

  const filter = parsed.data;
  const priority = findPriority(feedPriority)!.name;
  return {
    ok: true,
    config: {
      filter,
      query: filterToSearchParams(filter).toString(),
      feedPriority: priority,
      feedQuery: filterToSearchParams({ ...filter, minPriority: priority }).toString(),
      rotateSeconds,
    },
  };
}
