// Makes the bench's alerts less regular than the demo cluster's: long tails, chains of every depth,
// busy rules and each BENCH_RARE value once per part, seeded per alert. An alert is rendered again
// from its rule's output template, so its text and output_fields agree.
import { readFileSync } from 'node:fs';
import { skipJsonString } from '../../lib/falco/json';

/** Values in exactly one alert of each part of the bench's window (one in 100,000 alerts), one alert per filter. */
export const BENCH_RARE = {
  rule: 'Detect crypto miners using the Stratum protocol',
  /** A tag that only the rare rule carries. */
  tag: 'T1496',
  hostname: 'ip-10-0-77-14.ec2.internal',
  containerId: 'a9f3c07e51d2',
  containerName: 'osprey-sync',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/osprey/osprey-sync',
  namespace: 'osprey',
  pod: 'osprey-sync-7d9c8b6f5-k2x7q',
  user: 'osprey',
  /** An ancestor's name (the parent's). */
  proc: 'ospreyd',
  /** The root of a chain: the `chain` filter's value for every chain below it. */
  chain: 'osprey-init',
  /** A word of one command line. */
  q: 'ospreyreplay',
} as const;

/** Valid-looking values that the bench's generator never produces. */
export const BENCH_ABSENT = {
  rule: 'Detect outbound connections to common miner pool ports',
  tag: 'T1195.002',
  hostname: 'ip-10-0-250-17.ec2.internal',
  containerId: '3c5e7a9b1d0f',
  containerName: 'walrus-relay',
  image: 'ghcr.io/acme/walrus-relay',
  namespace: 'walrus',
  pod: 'walrus-relay-5b8d7f6c9-h4m2z',
  user: 'walrus',
  proc: 'walrusd',
  chain: 'walrus-init',
  q: 'walrusreplay',
} as const;

/** The very busy rules: the demo's three busiest, one of them made busier (their shares: docs/decisions/0011). */
export const BUSY_RULES = ['Contact K8S API Server From Container', 'Run shell untrusted', 'Attach/Exec Pod'] as const;
/** A new rule, frequent but less so. */
const PACKAGE_RULE = 'Launch Package Management Process in Container';
/** A rule rewritten alerts of other rules become now and then: their curl and wget command lines hold many words. */
const COPY_RULE = 'Launch Ingress Remote File Copy Tools in Container';

// Only this share of the syscall alerts is rewritten (the rest pass as the demo wrote them), so
// that the rewrite stays cheap on average; the shares below are of those rewritten.
const REWRITTEN = 0.45;
/** Of the rewritten container alerts of other rules: the package rule, the busy rule of syscalls, the copy rule. */
const RULE_SHARES = [0.4, 0.45, 0.05] as const;
/** Moved to a workload of the long tail (what share of all container alerts that makes: docs/decisions/0011). */
const MOVE_SHARE = 0.67;
const USER_SHARE = 0.45;
/** Share of each level's process name drawn from the long tail of process names. */
const PROC_SHARE = 0.25;
/** Share of the processes given a command line of vocabulary words. */
const CMDLINE_SHARE = 0.8;
const FILE_SHARE = 0.9;
// The rewritten alerts take the chain depths the demo lacks, so that every depth up to the deepest
// is common (the shares before and after: docs/decisions/0011).
const DEPTH_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 0.2],
  [3, 0.1],
  [6, 0.233],
  [7, 0.233],
  [8, 0.234],
];
const WORKLOADS = 40_000;
const USERS = 20_000;
const PROCS = 50_000;
const WORDS = 250_000;
/** The deepest chain: the process and seven ancestors, as far as Falco's fields reach (proc.aname[7]). */
export const MAX_DEPTH = 8;

// ─── Rules ───────────────────────────────────────────────────────────────────────────────────────

interface Rule {
  name: string;
  priority: string;
  tags: readonly string[];
  tagsJson: string;
  /** The template cut at its fields: literal (JSON-escaped), field, literal, field, …, literal. */
  literals: string[];
  fields: string[];
}

const FIELD_PATTERN = /%([A-Za-z_][\w.]*(?:\[[^\]\s]*\])?)/g;
// Falco 0.41+ (container plugin) appends these to every syscall rule's output (as the demo does).
const CONTAINER_SUFFIX =
  ' container_id=%container.id container_name=%container.name container_image_repository=%container.image.repository container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name';
const PRIORITY_NAMES: Record<string, string> = {
  WARNING: 'Warning',
  NOTICE: 'Notice',
  INFO: 'Informational',
  CRITICAL: 'Critical',
  ERROR: 'Error',
};

function compile(name: string, priority: string, tags: string, template: string): Rule {
  const literals: string[] = [];
  const fields: string[] = [];
  let at = 0;
  const text = template + CONTAINER_SUFFIX;
  for (const match of text.matchAll(FIELD_PATTERN)) {
    // A template may end a field with a full stop: text, not part of the name.
    const field = match[1]!.replace(/\.+$/, '');
    literals.push(JSON.stringify(text.slice(at, match.index)).slice(1, -1));
    fields.push(field);
    at = match.index + 1 + field.length;
  }
  literals.push(JSON.stringify(text.slice(at)).slice(1, -1));
  const sorted = tags.split(',').sort();
  return {
    name,
    priority: PRIORITY_NAMES[priority] ?? priority,
    tags: sorted,
    tagsJson: JSON.stringify(sorted),
    literals,
    fields,
  };
}

// Real rules of falco-incubating_rules.yaml and falco-sandbox_rules.yaml (shared/falco/corpus).
const MORE_RULES: readonly (readonly [string, string, string, string])[] = [
  [
    'Launch Package Management Process in Container',
    'ERROR',
    'maturity_incubating,container,process,software_mgmt,mitre_persistence,T1505',
    'Package management process launched in container | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags',
  ],
  [
    'Launch Ingress Remote File Copy Tools in Container',
    'NOTICE',
    'maturity_incubating,container,network,process,mitre_command_and_control,TA0011',
    'Ingress remote file copy tool launched in container | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags',
  ],
  [
    'Detect crypto miners using the Stratum protocol',
    'CRITICAL',
    'maturity_sandbox,host,container,process,mitre_impact,T1496',
    'Possible miner running | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags',
  ],
];

/** The syscall rules: the stable ones the demo raises (the fixture it copied them from), and MORE_RULES. */
const RULES: ReadonlyMap<string, Rule> = (() => {
  const rules = new Map<string, Rule>();
  const tsv = readFileSync(new URL('../../e2e/fixtures/falco/default-rules.tsv', import.meta.url), 'utf8');
  for (const row of tsv.split('\n').slice(1)) {
    const [name, priority, tags, template, source] = row.split('\t');
    if (source === 'syscall' && name && priority && tags && template)
      rules.set(name, compile(name, priority, tags, template));
  }
  for (const [name, priority, tags, template] of MORE_RULES) rules.set(name, compile(name, priority, tags, template));
  return rules;
})();

function ruleOrThrow(name: string): Rule {
  const rule = RULES.get(name);
  if (!rule) throw new Error(`bench rule not defined: ${name}`);
  return rule;
}

// ─── One alert, parsed and rendered ─────────────────────────────────────────────────────────────

/** A syscall alert as the demo writes it; values are kept as their JSON text, big integers exact. */
export interface ParsedAlert {
  hostname: string;
  /** The output's time prefix (`00:37:01.302518486: `), JSON-escaped. */
  timePrefix: string;
  priority: string;
  rule: string;
  /** JSON, like the fields: the array of tags, or undefined without tags. */
  tags: string | undefined;
  time: string;
  fields: Map<string, string>;
}

const HEAD = '{"hostname":';
// Inside a JSON string a quote is escaped, so only the alert's own source key reads like this.
const SYSCALL = ',"source":"syscall"';
/** Whether the line is a syscall alert: its source comes after its fields, near the end of the line. */
const isSyscall = (line: string) => line.startsWith(SYSCALL, line.lastIndexOf(',"source":'));

/** The JSON string starting at `i` as text, and the index past it (the demo's names and rules need no unescaping). */
function stringAt(line: string, i: number): [string, number] {
  const end = skipJsonString(line, i);
  const raw = line.slice(i, end);
  return [raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1), end];
}

/** The alert, or null when it is not a syscall alert shaped as the demo writes them. */
export function parseAlert(line: string): ParsedAlert | null {
  if (!line.startsWith(HEAD) || !isSyscall(line)) return null;
  const [hostname, afterHost] = stringAt(line, HEAD.length);
  let i = afterHost;
  if (!line.startsWith(',"output":"', i)) return null;
  const outputStart = i + 11;
  i = skipJsonString(line, outputStart - 1);
  const timePrefix = line.slice(outputStart, line.indexOf(': ', outputStart) + 2);
  if (!line.startsWith(',"output_fields":{', i)) return null;
  i += 18;
  const fields = new Map<string, string>();
  while (line.charCodeAt(i) === 0x22) {
    const keyEnd = skipJsonString(line, i);
    const start = keyEnd + 1;
    let end: number;
    const c = line.charCodeAt(start);
    if (c === 0x22) end = skipJsonString(line, start);
    else if (c === 0x5b) {
      end = start + 1;
      while (line.charCodeAt(end) !== 0x5d) end = line.charCodeAt(end) === 0x22 ? skipJsonString(line, end) : end + 1;
      end++;
    } else {
      end = start;
      while (line.charCodeAt(end) !== 0x2c && line.charCodeAt(end) !== 0x7d) end++;
    }
    fields.set(line.slice(i + 1, keyEnd - 1), line.slice(start, end));
    i = line.charCodeAt(end) === 0x2c ? end + 1 : end;
  }
  // The rest, in Falco's order: priority, rule, source, tags (when there are some), time.
  if (!line.startsWith('},"priority":', i)) return null;
  const [priority, afterPriority] = stringAt(line, i + 13);
  if (!line.startsWith(',"rule":', afterPriority)) return null;
  const [rule, afterRule] = stringAt(line, afterPriority + 8);
  const tagsAt = line.indexOf(',"tags":', afterRule);
  const timeAt = line.lastIndexOf(',"time":');
  const tags = tagsAt < 0 ? undefined : line.slice(tagsAt + 8, timeAt);
  const [time] = stringAt(line, timeAt + 8);
  return { hostname, timePrefix, priority, rule, tags, time, fields };
}

/** A field's value as the output text shows it, JSON-escaped (escaping is per character, so parts join). */
function textOf(raw: string | undefined): string {
  if (raw === undefined || raw === 'null') return '<NA>';
  if (raw.charCodeAt(0) === 0x22) return raw.slice(1, -1);
  if (raw.charCodeAt(0) === 0x5b) return JSON.stringify(`(${(JSON.parse(raw) as string[]).join(',')})`).slice(1, -1);
  return raw;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The alert as Falco writes it: keys sorted, the output rendered from its rule's template. */
export function renderAlert(alert: ParsedAlert): string {
  const { literals, fields } = ruleOrThrow(alert.rule);
  let output = `${alert.timePrefix}${alert.priority} ${literals[0]}`;
  for (let k = 0; k < fields.length; k++) output += textOf(alert.fields.get(fields[k]!)) + literals[k + 1];
  // The demo's keys come first, still sorted; the few added after them are sorted and merged in.
  let keys = [...alert.fields.keys()];
  let sorted = 1;
  while (sorted < keys.length && keys[sorted - 1]! < keys[sorted]!) sorted++;
  if (sorted < keys.length) {
    const added = keys.slice(sorted).sort(byCodeUnits);
    const merged: string[] = [];
    let a = 0;
    for (let k = 0; k < sorted; k++) {
      while (a < added.length && added[a]! < keys[k]!) merged.push(added[a++]!);
      merged.push(keys[k]!);
    }
    while (a < added.length) merged.push(added[a++]!);
    keys = merged;
  }
  let body = '';
  for (const key of keys) body += `${body === '' ? '' : ','}"${key}":${alert.fields.get(key)}`;
  const tags = alert.tags === undefined ? '' : `,"tags":${alert.tags}`;
  return `${HEAD}${JSON.stringify(alert.hostname)},"output":"${output}","output_fields":{${body}},"priority":${JSON.stringify(alert.priority)},"rule":${JSON.stringify(alert.rule)},"source":"syscall"${tags},"time":${JSON.stringify(alert.time)}}`;
}

// ─── Seeded draws and generated names ───────────────────────────────────────────────────────────

type Rng = () => number;

function rngFor(a: number, b: number, c: number): Rng {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x27d4eb2f);
  let state = (h ^ (h >>> 15)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of one number, for the fixed properties of generated things (a workload's namespace …). */
function mix(n: number, salt: number): number {
  let h = Math.imul(n ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A rank in [0, n) with P(rank r) about proportional to 1/(r+1): Zipf's law with exponent 1. */
const zipf = (u: number, n: number) => Math.min(n - 1, Math.floor(Math.exp(u * Math.log(n + 1))) - 1);
const pick = <T>(u: number, items: readonly T[]): T => items[Math.floor(u * items.length)]!;

// Syllables of one consonant and one vowel: a word splits into them one way only, so distinct
// numbers give distinct words, and none of them is a value of BENCH_RARE or BENCH_ABSENT.
const SYLLABLES = [...'bdfghjklmnprstvz'].flatMap((c) => [...'aeiou'].map((v) => c + v));
const S = SYLLABLES.length;

/** The n-th generated word, scrambled so that neighbouring ranks do not look alike: 2 syllables for the first S², then 3. */
export function wordAt(n: number): string {
  if (n < S * S) {
    const m = (n * 4093) % (S * S);
    return SYLLABLES[Math.floor(m / S)]! + SYLLABLES[m % S]!;
  }
  const m = ((n - S * S) * 7919) % (S * S * S);
  return SYLLABLES[Math.floor(m / (S * S))]! + SYLLABLES[Math.floor(m / S) % S]! + SYLLABLES[m % S]!;
}

// Each kind of name its own range of words (all of three syllables).
const USER_BASE = 300_000;
const PROC_BASE = USER_BASE + USERS;
const WORKLOAD_BASE = PROC_BASE + PROCS;
const PROC_SUFFIXES = ['', 'd', '-agent', '-worker', 'ctl', '.sh'];
const procName = (rank: number) => wordAt(PROC_BASE + rank) + PROC_SUFFIXES[rank % PROC_SUFFIXES.length]!;
const userName = (rank: number) => wordAt(USER_BASE + rank);

const NAMESPACES = [
  'search',
  'recommendations',
  'inventory',
  'orders',
  'shipping',
  'notifications',
  'identity',
  'auth',
  'billing',
  'analytics',
  'ml-serving',
  'ml-training',
  'etl',
  'streaming',
  'gateway',
  'web',
  'mobile-api',
  'partners',
  'reporting',
  'catalog',
  'pricing',
  'promotions',
  'reviews',
  'media',
  'chat',
  'support',
  'crm',
  'logistics',
  'warehouse',
  'fulfilment',
  'risk',
  'compliance',
  'platform',
  'observability',
  'security',
  'batch',
];
const ROLES = ['api', 'worker', 'web', 'consumer', 'cron', 'gateway', 'sync', 'exporter', 'indexer', 'scheduler'];
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function chars(h: number, length: number, alphabet: string): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet.charAt(mix(h, i + 1) % alphabet.length);
  return text;
}

interface Workload {
  hostname: string;
  containerId: string;
  name: string;
  repository: string;
  tag: string;
  namespace: string;
  pod: string;
}

/** Workload `w` of the long tail: one container of one pod on one node (an address in 10.1.0.0/16: none of the demo's nodes). */
function workload(w: number): Workload {
  const h = mix(w, 7);
  const name = `${wordAt(WORKLOAD_BASE + w)}-${ROLES[h % ROLES.length]}`;
  const namespace = NAMESPACES[mix(w, 11) % NAMESPACES.length]!;
  const node = mix(w, 13) % 400;
  return {
    hostname: `ip-10-1-${Math.floor(node / 100) + 16}-${(node % 100) + 20}.ec2.internal`,
    containerId:
      (mix(w, 17) % 0x1000000).toString(16).padStart(6, '0') + (mix(w, 19) % 0x1000000).toString(16).padStart(6, '0'),
    name,
    repository: `${ECR}/${namespace}/${name}`,
    tag: `${1 + (h % 4)}.${mix(w, 23) % 30}.${mix(w, 29) % 12}`,
    namespace,
    pod: `${name}-${chars(mix(w, 31), 9, K8S_ALPHABET)}-${chars(mix(w, 37), 5, K8S_ALPHABET)}`,
  };
}

const EXTENSIONS = ['.conf', '.yaml', '.json', '.log', '.py', '.sh', '.tar.gz', '.csv', '', ''];
const word = (rng: Rng) => wordAt(zipf(rng(), WORDS));

/** Arguments of vocabulary words, in the shapes command lines have. */
function args(rng: Rng, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng();
    if (r < 0.3) out.push(`--${word(rng)}`);
    else if (r < 0.5) out.push(`--${word(rng)}=${word(rng)}`);
    else if (r < 0.75) out.push(word(rng));
    else out.push(`/srv/${word(rng)}/${word(rng)}${pick(rng(), EXTENSIONS)}`);
  }
  return out.join(' ');
}

// ─── Process chains ─────────────────────────────────────────────────────────────────────────────

/** One level of a chain: its values as JSON text, undefined when the alert has none. */
interface Level {
  name: string;
  exepath?: string;
  exe?: string;
  cmdline?: string;
  pid?: string;
}

type Attribute = keyof Level;
const ATTRIBUTES: readonly Attribute[] = ['name', 'exepath', 'exe', 'cmdline', 'pid'];
const LEVEL_KEYS: readonly Record<Attribute, string>[] = Array.from({ length: MAX_DEPTH }, (_, level) =>
  level === 0
    ? { name: 'proc.name', exepath: 'proc.exepath', exe: 'proc.exe', cmdline: 'proc.cmdline', pid: 'proc.pid' }
    : level === 1
      ? { name: 'proc.pname', exepath: 'proc.pexepath', exe: 'proc.pexe', cmdline: 'proc.pcmdline', pid: 'proc.ppid' }
      : {
          name: `proc.aname[${level}]`,
          exepath: `proc.aexepath[${level}]`,
          exe: `proc.aexe[${level}]`,
          cmdline: `proc.acmdline[${level}]`,
          pid: `proc.apid[${level}]`,
        },
);

function readChain(fields: Map<string, string>): Level[] {
  const chain: Level[] = [];
  for (let level = 0; level < MAX_DEPTH; level++) {
    const keys = LEVEL_KEYS[level]!;
    const name = fields.get(keys.name);
    if (name === undefined || name === 'null') break;
    const entry: Level = { name };
    for (const attribute of ATTRIBUTES) {
      const value = fields.get(keys[attribute]);
      if (attribute !== 'name' && value !== undefined && value !== 'null') entry[attribute] = value;
    }
    chain.push(entry);
  }
  return chain;
}

/**
 * Writes the chain into the fields: every attribute the alert has a field for, and a name field
 * (Falco's extra_fields) where a level has none; the fields of the levels below the root, null.
 */
function writeChain(fields: Map<string, string>, chain: readonly Level[]) {
  for (let level = 0; level < MAX_DEPTH; level++) {
    const keys = LEVEL_KEYS[level]!;
    const entry = chain[level];
    for (const attribute of ATTRIBUTES) {
      const key = keys[attribute];
      if (entry !== undefined && attribute === 'name') fields.set(key, entry.name);
      else if (fields.has(key)) fields.set(key, entry?.[attribute] ?? 'null');
    }
  }
  if (fields.has('proc.args')) {
    const leaf = chain[0]!;
    const cmdline = leaf.cmdline === undefined ? '' : (JSON.parse(leaf.cmdline) as string);
    const name = JSON.parse(leaf.name) as string;
    fields.set('proc.args', JSON.stringify(cmdline.startsWith(`${name} `) ? cmdline.slice(name.length + 1) : ''));
  }
}

// Generated text needs no escaping; anything else goes through JSON.stringify.
const PLAIN = /^[\w ./:=+@,-]*$/;
const json = (text: string) => (PLAIN.test(text) ? `"${text}"` : JSON.stringify(text));
/** A process of that name, with a command line of `rest`. */
const proc = (name: string, rest: string, dir = '/usr/local/bin'): Level => ({
  name: json(name),
  exepath: json(`${dir}/${name}`),
  exe: json(`${dir}/${name}`),
  cmdline: json(rest === '' ? name : `${name} ${rest}`),
});

const COMMON_ANCESTORS = [
  'bash',
  'sh',
  'python3',
  'node',
  'java',
  'tini',
  'dumb-init',
  'make',
  'npm',
  'supervisord',
  'runsv',
  'su',
  'timeout',
  'xargs',
  'env',
  'entrypoint.sh',
  'gosu',
  's6-supervise',
];

// An ancestor keeps its command line from one alert to the next, as a daemon or a shell does.
const COMMON_LEVELS = COMMON_ANCESTORS.map((name, i) => proc(name, args(rngFor(i, 0, 1), 1), '/usr/bin'));
const TAIL_LEVELS = new Map<number, Level>();

/** Process `rank` of the long tail, as an ancestor. */
function tailLevel(rank: number): Level {
  let level = TAIL_LEVELS.get(rank);
  if (level === undefined) {
    const rng = rngFor(rank, 0, 2);
    level = proc(procName(rank), args(rng, 1 + Math.floor(rng() * 3)));
    TAIL_LEVELS.set(rank, level);
  }
  return level;
}

const ancestor = (rng: Rng): Level => (rng() < 0.5 ? pick(rng(), COMMON_LEVELS) : tailLevel(zipf(rng(), PROCS)));

/** The chain at `depth`: cut below its root, or grown by ancestors put between its root and the rest. */
function reshape(chain: Level[], depth: number, rng: Rng): Level[] {
  if (chain.length === 0) return chain;
  if (depth <= chain.length) return chain.slice(0, depth);
  const added = Array.from({ length: depth - chain.length }, () => ancestor(rng));
  return chain.length === 1 ? [...chain, ...added] : [...chain.slice(0, -1), ...added, chain.at(-1)!];
}

// ─── The rewrite ────────────────────────────────────────────────────────────────────────────────

const PACKAGE_MANAGERS: readonly (readonly [string, string])[] = [
  ['apt-get', 'install -y --no-install-recommends'],
  ['apt', 'install -y'],
  ['dpkg', '-i'],
  ['pip', 'install --no-cache-dir'],
  ['pip3', 'install --user'],
  ['npm', 'install --global'],
  ['apk', 'add --no-cache'],
  ['yum', 'install -y'],
  ['dnf', 'install -y'],
  ['gem', 'install'],
];
const API_SERVER = '172.20.0.1';

/** The filters whose BENCH_RARE value goes into one alert of each part, in this order. */
export const RARE_MARKERS = [
  'rule',
  'hostname',
  'container',
  'image',
  'namespace',
  'pod',
  'user',
  'proc',
  'chain',
  'q',
] as const;
export type RareMarker = (typeof RARE_MARKERS)[number];

// The fields each change of rule drops: the old template's own (container and extra fields stay).
const DROPPED = new Map<string, readonly string[]>();

function setRule(alert: ParsedAlert, name: string, values: Record<string, string>) {
  const after = ruleOrThrow(name);
  const change = `${alert.rule}\u0000${name}`;
  let dropped = DROPPED.get(change);
  if (dropped === undefined) {
    dropped = ruleOrThrow(alert.rule).fields.filter(
      (field) => !after.fields.includes(field) && !field.startsWith('container.') && !field.startsWith('k8s.'),
    );
    DROPPED.set(change, dropped);
  }
  for (const field of dropped) alert.fields.delete(field);
  for (const field of after.fields) if (!alert.fields.has(field)) alert.fields.set(field, values[field] ?? 'null');
  for (const field in values) alert.fields.set(field, values[field]!);
  alert.rule = after.name;
  alert.priority = after.priority;
  alert.tags = after.tagsJson;
}

function isContainer(alert: ParsedAlert): boolean {
  const id = alert.fields.get('container.id');
  return id !== undefined && id !== '"host"' && id !== 'null';
}

/**
 * The rewrite of one part's alerts, given in order with their index in the part. Each rare value
 * goes into the first container alert at or after its `markerAt` index, so markers land exactly once.
 * Returns the line (unchanged when not rewritten) and the rare value it carries.
 */
export function irregularPart(seed: number, part: number, markerAt: readonly number[] = []) {
  let next = 0;
  return (line: string, index: number): { line: string; marker: RareMarker | null } => {
    const due = next < markerAt.length && index >= markerAt[next]!;
    const rng = rngFor(seed, part, index);
    const chosen = rng() < REWRITTEN;
    if ((!chosen && !due) || !isSyscall(line)) return { line, marker: null };
    const alert = parseAlert(line);
    if (alert === null) return { line, marker: null };
    const marker = due && isContainer(alert) ? RARE_MARKERS[next++]! : null;
    if (!chosen && marker === null) return { line, marker: null };
    rewrite(alert, rng, marker);
    return { line: renderAlert(alert), marker };
  };
}

const pickWeighted = (u: number, items: readonly (readonly [number, number])[]) => {
  for (const [value, weight] of items) if ((u -= weight) < 0) return value;
  return items.at(-1)![0];
};

function rewrite(alert: ParsedAlert, rng: Rng, marker: RareMarker | null) {
  const { fields } = alert;
  const container = isContainer(alert);
  // Read before a new rule takes the old one's fields away.
  let chain = readChain(fields);
  let leaf: Level | null = null;

  // A few very busy rules, and the rare one.
  const r = rng();
  const choice =
    !container || marker !== null || (BUSY_RULES as readonly string[]).includes(alert.rule)
      ? -1
      : r < RULE_SHARES[0]
        ? 0
        : r < RULE_SHARES[0] + RULE_SHARES[1]
          ? 1
          : r < RULE_SHARES[0] + RULE_SHARES[1] + RULE_SHARES[2]
            ? 2
            : -1;
  if (marker === 'rule') {
    setRule(alert, BENCH_RARE.rule, { 'evt.type': '"execve"', 'evt.arg.flags': '"EXE_WRITABLE|EXE_UPPER_LAYER"' });
    leaf = proc('xmrig', `-o stratum+tcp://${word(rng)}.${word(rng)}.example:3333 --donate-level=0 -B`, '/tmp');
  } else if (choice === 0) {
    const [manager, verb] = pick(rng(), PACKAGE_MANAGERS);
    setRule(alert, PACKAGE_RULE, { 'evt.type': '"execve"', 'evt.arg.flags': '"EXE_LOWER_LAYER"' });
    leaf = proc(manager, `${verb} ${word(rng)} ${word(rng)}`, '/usr/bin');
  } else if (choice === 1) {
    const port = 32_768 + Math.floor(rng() * 28_000);
    setRule(alert, BUSY_RULES[0], {
      'evt.type': '"connect"',
      'fd.name': json(`10.0.${Math.floor(rng() * 64)}.${Math.floor(rng() * 250) + 2}:${port}->${API_SERVER}:443`),
      'fd.lport': String(port),
      'fd.rport': '443',
      'fd.type': '"ipv4"',
      'fd.l4proto': '"tcp"',
    });
  } else if (choice === 2) {
    setRule(alert, COPY_RULE, { 'evt.type': '"execve"', 'evt.arg.flags': '"EXE_LOWER_LAYER"' });
    const tool = rng() < 0.6 ? 'curl' : 'wget';
    const url = `https://${word(rng)}.${word(rng)}.example/${word(rng)}/${word(rng)}${pick(rng(), EXTENSIONS)}`;
    leaf = proc(
      tool,
      tool === 'curl' ? `-fsSL ${url} -o /tmp/${word(rng)}` : `-q -O /tmp/${word(rng)} ${url}`,
      '/usr/bin',
    );
  }

  // Workloads of a long tail, each one container of one pod on one node.
  if (container && rng() < MOVE_SHARE && marker === null) {
    const w = workload(zipf(rng(), WORKLOADS));
    alert.hostname = w.hostname;
    fields.set('container.id', json(w.containerId));
    fields.set('container.name', json(w.name));
    fields.set('container.image.repository', json(w.repository));
    fields.set('container.image.tag', json(w.tag));
    fields.set('k8s.ns.name', json(w.namespace));
    fields.set('k8s.pod.name', json(w.pod));
  }
  if (marker === 'hostname') alert.hostname = BENCH_RARE.hostname;
  if (marker === 'container') {
    fields.set('container.id', json(BENCH_RARE.containerId));
    fields.set('container.name', json(BENCH_RARE.containerName));
  }
  if (marker === 'image') fields.set('container.image.repository', json(BENCH_RARE.image));
  if (marker === 'namespace') fields.set('k8s.ns.name', json(BENCH_RARE.namespace));
  if (marker === 'pod') fields.set('k8s.pod.name', json(BENCH_RARE.pod));

  // Users: most keep theirs, some come from a long tail.
  if (fields.has('user.name')) {
    if (marker === 'user') {
      fields.set('user.name', json(BENCH_RARE.user));
      fields.set('user.uid', '31337');
    } else if (rng() < USER_SHARE) {
      const rank = zipf(rng(), USERS);
      fields.set('user.name', json(userName(rank)));
      if (fields.has('user.uid')) fields.set('user.uid', String(20_000 + rank));
    }
  }

  // Chains of every depth; names of a long tail at every level; command lines of many words.
  if (chain.length === 0) return;
  if (leaf !== null) chain[0] = { ...leaf, pid: chain[0]!.pid };
  const depth =
    marker === 'chain' || marker === 'proc'
      ? 3 + Math.floor(rng() * (MAX_DEPTH - 2))
      : pickWeighted(rng(), DEPTH_WEIGHTS);
  chain = reshape(chain, depth, rng);
  for (let level = 0; level < chain.length; level++) {
    if (rng() >= PROC_SHARE || (level === 0 && leaf !== null)) continue;
    const rank = zipf(rng(), PROCS);
    const replaced = level === 0 ? proc(procName(rank), args(rng, 1 + Math.floor(rng() * 4))) : tailLevel(rank);
    chain[level] = { ...replaced, pid: chain[level]!.pid };
  }
  if (leaf === null && rng() < CMDLINE_SHARE) {
    chain[0] = {
      ...chain[0]!,
      cmdline: json(`${JSON.parse(chain[0]!.name) as string} ${args(rng, 1 + Math.floor(rng() * 5))}`),
    };
  }
  if (marker === 'proc') chain[1] = proc(BENCH_RARE.proc, `--config /etc/${BENCH_RARE.proc}.yaml`);
  if (marker === 'chain') chain[chain.length - 1] = proc(BENCH_RARE.chain, '--once', '/sbin');
  if (marker === 'q')
    chain[0] = {
      ...chain[0]!,
      cmdline: json(`${JSON.parse(chain[0]!.name) as string} --job ${BENCH_RARE.q} ${args(rng, 2)}`),
    };
  writeChain(fields, chain);

  // File names of many words, in the directory the rule watches.
  const file = fields.get('fd.name');
  if (file?.startsWith('"/') && !fields.has('fd.nameraw') && rng() < FILE_SHARE) {
    const path = JSON.parse(file) as string;
    const dir = path.slice(0, path.lastIndexOf('/'));
    fields.set('fd.name', json(`${dir}/${word(rng)}${rng() < 0.5 ? `-${word(rng)}` : ''}${pick(rng(), EXTENSIONS)}`));
  }
}
