// A process and its ancestors as Falco reports them in output_fields. Level 0 is the process,
// level 1 its parent, level N its N-th ancestor (see FORMAT.md §4).

export interface AncestryLevel {
  level: number;
  name: string | null;
  exepath: string | null;
  cmdline: string | null;
  pid: number | null;
}

type Attribute = 'name' | 'exepath' | 'cmdline' | 'pid';

// Fixed keys for levels 0 and 1, most specific first. `proc.exe` is argv[0], only a fallback path.
const FIXED_KEYS: Record<0 | 1, Record<Attribute, readonly string[]>> = {
  0: { name: ['proc.name'], exepath: ['proc.exepath', 'proc.exe'], cmdline: ['proc.cmdline'], pid: ['proc.pid', 'proc.vpid'] },
  1: { name: ['proc.pname'], exepath: ['proc.pexepath', 'proc.pexe'], cmdline: ['proc.pcmdline'], pid: ['proc.ppid', 'proc.pvpid'] },
};

// `proc.aname[3]`, or `proc.aname_3` after falcosidekick's bracket replacer.
const INDEXED_KEY = /^proc\.a(name|exepath|exe|cmdline|pid)(?:\[(\d{1,3})\]|_(\d{1,3}))$/;
const INDEXED_ATTRIBUTE: Record<string, Attribute> = {
  name: 'name', exepath: 'exepath', exe: 'exepath', cmdline: 'cmdline', pid: 'pid',
};
const MAX_LEVEL = 64;

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' || value === '<NA>' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function pidOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return null;
}

/**
 * The ordered chain (level 0 first) up to the deepest level the alert mentions. Levels the alert
 * names but leaves null (`<NA>`) stay in the chain as unknown, so a gap is visible, not hidden.
 */
export function extractAncestry(fields: Record<string, unknown>): AncestryLevel[] {
  const levels = new Map<number, AncestryLevel>();
  const levelAt = (level: number) => {
    let entry = levels.get(level);
    if (!entry) {
      entry = { level, name: null, exepath: null, cmdline: null, pid: null };
      levels.set(level, entry);
    }
    return entry;
  };
  const assign = (level: number, attribute: Attribute, value: unknown) => {
    const entry = levelAt(level);
    if (attribute === 'pid') entry.pid ??= pidOf(value);
    else entry[attribute] ??= textOf(value);
  };

  for (const level of [0, 1] as const) {
    for (const [attribute, keys] of Object.entries(FIXED_KEYS[level]) as [Attribute, readonly string[]][]) {
      for (const key of keys) if (Object.hasOwn(fields, key)) assign(level, attribute, fields[key]);
    }
  }
  const indexed = Object.keys(fields)
    .map((key) => ({ key, match: INDEXED_KEY.exec(key) }))
    .filter((entry): entry is { key: string; match: RegExpExecArray } => entry.match !== null)
    // `aexepath` before `aexe` (argv[0]): the first value assigned to a level's attribute wins.
    .sort((a, b) => Number(a.match[1] === 'exe') - Number(b.match[1] === 'exe'));
  for (const { key, match } of indexed) {
    const level = Number(match[2] ?? match[3]);
    if (level > MAX_LEVEL) continue;
    assign(level, INDEXED_ATTRIBUTE[match[1]!]!, fields[key]);
  }
  if (levels.size === 0) return [];

  const deepest = Math.max(...levels.keys());
  const chain: AncestryLevel[] = [];
  for (let level = 0; level <= deepest; level++) chain.push(levelAt(level));
  return chain;
}

/** Separates levels in a chain key; the pid of a level follows its name after PID_SEPARATOR. */
export const CHAIN_SEPARATOR = '\u001f';
export const PID_SEPARATOR = '\u001e';
export const UNKNOWN_PROCESS = '?';

/**
 * The chain as one comparable text, root ancestor first: `tmux␟bash␟sudo␟sudo␟cat`, with `␞pid`
 * after a name when the alert has the pid. Unknown levels above the oldest known ancestor are
 * dropped (the chain ends there); unknown levels inside it stay as `?`. Null without a process.
 */
export function chainKey(chain: readonly AncestryLevel[]): string | null {
  const parts = chain.map((level) => {
    const name = level.name ?? UNKNOWN_PROCESS;
    return level.pid === null ? name : `${name}${PID_SEPARATOR}${level.pid}`;
  });
  while (parts.length > 0 && parts.at(-1) === UNKNOWN_PROCESS) parts.pop();
  return parts.length === 0 ? null : parts.reverse().join(CHAIN_SEPARATOR);
}

/** The levels of a chain key, root first, as name and pid. */
export function splitChainKey(key: string): { name: string; pid: number | null }[] {
  return key.split(CHAIN_SEPARATOR).map((part) => {
    const [name = '', pid] = part.split(PID_SEPARATOR);
    return { name, pid: pid === undefined ? null : Number(pid) };
  });
}
