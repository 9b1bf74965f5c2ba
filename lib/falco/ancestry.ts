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
const FIXED_KEYS: readonly (readonly [0 | 1, Attribute, string])[] = [
  [0, 'name', 'proc.name'],
  [0, 'exepath', 'proc.exepath'],
  [0, 'exepath', 'proc.exe'],
  [0, 'cmdline', 'proc.cmdline'],
  [0, 'pid', 'proc.pid'],
  [0, 'pid', 'proc.vpid'],
  [1, 'name', 'proc.pname'],
  [1, 'exepath', 'proc.pexepath'],
  [1, 'exepath', 'proc.pexe'],
  [1, 'cmdline', 'proc.pcmdline'],
  [1, 'pid', 'proc.ppid'],
  [1, 'pid', 'proc.pvpid'],
];

// `proc.aname[3]`, or `proc.aname_3` after falcosidekick's bracket replacer.
const INDEXED_KEY = /^proc\.a(name|exepath|exe|cmdline|pid)(?:\[(\d{1,3})\]|_(\d{1,3}))$/;
const INDEXED_ATTRIBUTE: Record<string, Attribute> = {
  name: 'name',
  exepath: 'exepath',
  exe: 'exepath',
  cmdline: 'cmdline',
  pid: 'pid',
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
  const levels: (AncestryLevel | undefined)[] = [];
  let deepest = -1;
  const levelAt = (level: number) => {
    let entry = levels[level];
    if (!entry) {
      entry = { level, name: null, exepath: null, cmdline: null, pid: null };
      levels[level] = entry;
      if (level > deepest) deepest = level;
    }
    return entry;
  };
  const assign = (level: number, attribute: Attribute, value: unknown) => {
    const entry = levelAt(level);
    if (attribute === 'pid') entry.pid ??= pidOf(value);
    else entry[attribute] ??= textOf(value);
  };

  const assignIndexed = (match: RegExpExecArray) => {
    const level = Number(match[2] ?? match[3]);
    if (level <= MAX_LEVEL) assign(level, INDEXED_ATTRIBUTE[match[1]!]!, fields[match.input]);
  };

  for (const [level, attribute, key] of FIXED_KEYS)
    if (Object.hasOwn(fields, key)) assign(level, attribute, fields[key]);
  // `aexepath` before `aexe` (argv[0]): the first value assigned to a level's attribute wins.
  let argv0: RegExpExecArray[] | undefined;
  for (const key of Object.keys(fields)) {
    if (!key.startsWith('proc.a')) continue;
    const match = INDEXED_KEY.exec(key);
    if (match === null) continue;
    if (match[1] === 'exe') (argv0 ??= []).push(match);
    else assignIndexed(match);
  }
  if (argv0) for (const match of argv0) assignIndexed(match);
  if (deepest < 0) return [];

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
