// Turning an alert's spec into the JSON line Falco writes: output template filled in, output_fields
// as Falco 0.41+ with the container plugin sends them.
import { formatTimeNs } from '../../lib/falco/time';
import { int, NS_PER_MS, type Rng } from './rng';
import {
  FIELD_PATTERN,
  fieldName,
  type Fields,
  type FieldValue,
  type Priority,
  type RuleDef,
  ruleOrThrow,
} from './rules';
import {
  AUDIT_HOST,
  type Container,
  containerStartMs,
  type Host,
  hostBootMs,
  pidStartedAgo,
  type Proc,
  startNs,
  type User,
} from './cluster';
import type { DemoAlert } from './generate';

export interface Ctx {
  rng: Rng;
  tMs: number;
  tNs: bigint;
}

export interface AlertSpec {
  rule: RuleDef;
  priority: Priority;
  timeNs: bigint;
  hostname: string;
  values: Fields;
  /** output_fields beyond the template's (container plugin fields, append_output extra fields). */
  extraKeys: readonly string[];
}

const CONTAINER_KEYS = [
  'container.id',
  'container.name',
  'container.image.repository',
  'container.image.tag',
  'k8s.ns.name',
  'k8s.pod.name',
];
// Falco 0.41+ (container plugin) appends these to every syscall rule's output.
const CONTAINER_SUFFIX =
  ' container_id=%container.id container_name=%container.name container_image_repository=%container.image.repository container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name';
const EXTRA_KEYS = [
  ...CONTAINER_KEYS,
  'proc.pid',
  'proc.ppid',
  'proc.apid[2]',
  'proc.apid[3]',
  'proc.apid[4]',
  'proc.aname[2]',
  'proc.aname[3]',
  'proc.aname[4]',
  'proc.pcmdline',
  'proc.acmdline[2]',
];

const DEFAULT_CAPS =
  'CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP';
const FULL_CAPS =
  'CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE';

const later = (ctx: Ctx, offsetMs: number) => ctx.tNs + BigInt(Math.round(offsetMs * 1e6));

/** Pids for the processes that have none yet: started shortly before the event, ancestors first. */
function withPids(chain: readonly Proc[], host: Host, tMs: number, rng: Rng): Proc[] {
  let next = pidStartedAgo(host, tMs, int(rng, 2_000, 60_000));
  const out: Proc[] = [];
  for (const p of [...chain].reverse()) {
    if (p.pid !== undefined) {
      out.unshift(p);
      next = Math.max(next, p.pid + int(rng, 1, 6));
      continue;
    }
    out.unshift({ ...p, pid: next });
    next += int(rng, 1, 40);
  }
  return out;
}

const SESSION_BOUNDARY = new Set(['containerd-shim', 'runc', 'systemd', 'sshd', 'tmux', 'crond']);

function sessionLeader(chain: readonly Proc[]): string {
  let leader = chain[0]?.name ?? '';
  for (const p of chain) {
    if (SESSION_BOUNDARY.has(p.name)) break;
    leader = p.name;
  }
  return leader;
}

function chainFields(chain: readonly Proc[]): Fields {
  const [leaf, parent] = chain;
  if (!leaf) throw new Error('a process chain needs a process');
  const fields: Fields = {
    'proc.name': leaf.name,
    'proc.exepath': leaf.exe,
    'proc.exe': leaf.argv0 ?? leaf.exe,
    'proc.cmdline': leaf.cmdline,
    'proc.args': leaf.cmdline.slice(leaf.name.length + 1),
    'proc.pid': leaf.pid ?? null,
    'proc.pname': parent?.name ?? null,
    'proc.pexepath': parent?.exe ?? null,
    'proc.pexe': parent ? (parent.argv0 ?? parent.exe) : null,
    'proc.pcmdline': parent?.cmdline ?? null,
    'proc.ppid': parent?.pid ?? null,
  };
  for (let level = 2; level <= 7; level++) {
    const ancestor = chain[level];
    fields[`proc.aname[${level}]`] = ancestor?.name ?? null;
    fields[`proc.aexepath[${level}]`] = ancestor?.exe ?? null;
    fields[`proc.acmdline[${level}]`] = ancestor?.cmdline ?? null;
    fields[`proc.apid[${level}]`] = ancestor?.pid ?? null;
  }
  return fields;
}

interface SyscallInput {
  /** The process first, then its parent, … up to the root (systemd). */
  chain: readonly Proc[];
  user: User;
  offsetMs?: number;
  tty?: number;
  cwd?: string;
  fields?: Fields;
}

const isContainer = (where: Container | Host): where is Container => 'profile' in where;

export function syscall(ctx: Ctx, ruleName: string, where: Container | Host, input: SyscallInput): AlertSpec {
  const rule = ruleOrThrow(ruleName);
  const container = isContainer(where) ? where : null;
  const host = isContainer(where) ? where.host : where;
  const timeNs = later(ctx, input.offsetMs ?? 0);
  const tMs = Number(timeNs / NS_PER_MS);
  const chain = withPids(input.chain, host, tMs, ctx.rng);
  const { user } = input;
  const root = user.uid === 0;
  const values: Fields = {
    'evt.type': 'execve',
    'evt.res': 'SUCCESS',
    'evt.arg.flags': container
      ? root
        ? 'EXE_WRITABLE|EXE_LOWER_LAYER'
        : 'EXE_LOWER_LAYER'
      : root
        ? 'EXE_WRITABLE'
        : null,
    'user.name': user.name,
    'user.uid': user.uid,
    'user.loginuid': user.loginuid,
    'user.loginname': user.loginname,
    'group.gid': user.gid,
    'group.name': user.group,
    'proc.tty': input.tty ?? 0,
    'proc.cwd': input.cwd ?? container?.profile.cwd ?? (user.loginuid >= 1000 ? `/home/${user.loginname}/` : '/root/'),
    'proc.sname': sessionLeader(chain),
    'thread.cap_effective': !root ? '' : !container || container.profile.privileged ? FULL_CAPS : DEFAULT_CAPS,
    'container.id': container?.id ?? 'host',
    'container.name': container?.name ?? 'host',
    'container.image.repository': container?.repo ?? '',
    'container.image.tag': container?.tag ?? '',
    'k8s.ns.name': container?.ns ?? null,
    'k8s.pod.name': container?.pod ?? null,
    'container.start_ts': container
      ? startNs(containerStartMs(container, tMs), container.restartPhaseMs)
      : startNs(hostBootMs(host, tMs), host.index + 1),
    ...chainFields(chain),
    ...input.fields,
  };
  return {
    rule,
    priority: rule.priority,
    timeNs,
    hostname: host.name,
    values,
    extraKeys: host.extraFields ? EXTRA_KEYS : CONTAINER_KEYS,
  };
}

/** A plugin alert (k8s_audit, aws_cloudtrail, gcp_auditlog): only the template's fields. */
export function pluginAlert(ctx: Ctx, ruleName: string, host: Host, values: Fields, offsetMs = 0): AlertSpec {
  const rule = ruleOrThrow(ruleName);
  // Audit logs carry microseconds; CloudTrail only whole seconds.
  const precision = rule.source === 'aws_cloudtrail' ? 1_000_000_000n : 1_000n;
  const t = later(ctx, offsetMs);
  return { rule, priority: rule.priority, timeNs: t - (t % precision), hostname: host.name, values, extraKeys: [] };
}

const DROP_COUNTERS = [
  'n_drops_buffer_clone_fork_enter',
  'n_drops_buffer_clone_fork_exit',
  'n_drops_buffer_connect_enter',
  'n_drops_buffer_connect_exit',
  'n_drops_buffer_dir_file_enter',
  'n_drops_buffer_dir_file_exit',
  'n_drops_buffer_execve_enter',
  'n_drops_buffer_execve_exit',
  'n_drops_buffer_open_enter',
  'n_drops_buffer_open_exit',
  'n_drops_buffer_other_interest_enter',
  'n_drops_buffer_other_interest_exit',
];

export function syscallDrop(ctx: Ctx, host: Host, critical: boolean): AlertSpec {
  const { rng } = ctx;
  const drops = Math.floor(Math.exp(3 + rng() * 9));
  const values: Fields = {
    ebpf_enabled: '1',
    n_drops: String(drops),
    n_drops_buffer_total: String(drops),
    n_drops_bug: '0',
    n_drops_page_faults: '0',
    n_drops_scratch_map: '0',
    n_evts: String(drops * int(rng, 3, 40) + int(rng, 100_000, 900_000)),
  };
  let left = drops;
  for (const counter of DROP_COUNTERS) {
    const share = counter.endsWith('other_interest_exit') ? left : Math.floor(left * rng() * 0.4);
    values[counter] = String(share);
    left -= share;
  }
  const rule = ruleOrThrow('Falco internal: syscall event drop');
  return {
    rule,
    priority: critical ? 'Critical' : 'Debug',
    timeNs: ctx.tNs,
    hostname: host.name,
    values,
    extraKeys: Object.keys(values),
  };
}

function toText(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '<NA>';
  if (Array.isArray(value)) return `(${value.join(',')})`;
  return String(value);
}

const fill = (template: string, values: Fields) =>
  template.replace(FIELD_PATTERN, (_match, raw: string) => {
    const name = fieldName(raw);
    return toText(values[name]) + raw.slice(name.length);
  });

/** A JSON value; BigInt nanosecond counts are written as exact integer literals, as Falco does. */
function jsonValue(value: FieldValue | readonly string[]): string {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

/** A JSON object with its keys sorted, as Falco writes them (nlohmann::json orders keys). */
function jsonObject(entries: readonly (readonly [string, string])[]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',')}}`;
}

export function render(spec: AlertSpec): DemoAlert & { identity: string } {
  const { rule } = spec;
  const time = formatTimeNs(spec.timeNs);
  const internal = rule.source === 'internal';
  let text = fill(rule.template, spec.values);
  if (rule.source === 'syscall') text += fill(CONTAINER_SUFFIX, spec.values);
  const output = internal ? text : `${time.slice(11, 29)}: ${spec.priority} ${text}`;
  const fields = new Map<string, string>(internal ? [] : [['evt.time', jsonValue(spec.timeNs)]]);
  for (const key of [...rule.fields, ...spec.extraKeys]) fields.set(key, jsonValue(spec.values[key] ?? null));
  const line = jsonObject([
    ['hostname', jsonValue(spec.hostname)],
    ['output', jsonValue(output)],
    ['output_fields', jsonObject([...fields])],
    ['priority', jsonValue(spec.priority)],
    ['rule', jsonValue(rule.name)],
    ['source', jsonValue(rule.source)],
    ...(rule.tags.length > 0 ? [['tags', jsonValue(rule.tags)] as const] : []),
    ['time', jsonValue(time)],
  ]);
  // What the store's content dedup compares (lib/falco/alert.ts dedupKeyOf), time aside.
  const identity = `${rule.name}\u0000${spec.hostname}\u0000${output}`;
  return { timeNs: spec.timeNs, line, identity };
}

// ─── Field helpers ───────────────────────────────────────────────────────────────────────────────

export const ephemeralPort = (rng: Rng) => int(rng, 32_768, 60_999);
export const API_SERVER = '172.20.0.1';
export const GITLAB_SSH = '10.0.40.12';

/** A client socket from `localIp` (fd.name is client->server, as Falco prints it). */
export function connection(
  rng: Rng,
  localIp: string,
  remoteIp: string,
  remotePort: number,
  evtType = 'connect',
): Fields {
  const local = ephemeralPort(rng);
  return {
    'evt.type': evtType,
    'fd.name': `${localIp}:${local}->${remoteIp}:${remotePort}`,
    'fd.lport': local,
    'fd.rport': remotePort,
    'fd.sip': remoteIp,
    'fd.type': 'ipv4',
    'fd.l4proto': 'tcp',
  };
}

export const openat = (file: string, extra: Fields = {}): Fields => ({
  'evt.type': 'openat',
  'fd.name': file,
  ...extra,
});

/** Fields of a binary written into the container's upper layer `agoMs` before it ran. */
export function droppedBinary(ctx: Ctx, argv0: string, agoMs: number): Fields {
  const written = later(ctx, -agoMs);
  return {
    'evt.arg.flags': 'EXE_WRITABLE|EXE_UPPER_LAYER',
    'proc.exe': argv0,
    'proc.exe_ino.ctime': written,
    'proc.exe_ino.mtime': written,
    'proc.exe_ino.ctime_duration_proc_start': Math.round(agoMs * 1e6) - int(ctx.rng, 1_000, 900_000),
  };
}

function k8sUri(resource: string, ns: string | null, name: string | null, subresource = ''): string {
  const group: Record<string, string> = {
    leases: '/apis/coordination.k8s.io/v1',
    deployments: '/apis/apps/v1',
    certificatesigningrequests: '/apis/certificates.k8s.io/v1',
  };
  return `${group[resource] ?? '/api/v1'}${ns ? `/namespaces/${ns}` : ''}/${resource}${name ? `/${name}` : ''}${subresource ? `/${subresource}` : ''}`;
}

export function disallowedUser(
  ctx: Ctx,
  user: string,
  verb: string,
  resource: string,
  ns: string | null,
  name: string | null,
  code: string,
  subresource = '',
): AlertSpec {
  return pluginAlert(ctx, 'Disallowed K8s User', AUDIT_HOST, {
    'ka.user.name': user,
    'ka.target.name': name,
    'ka.target.resource': resource,
    'ka.verb': verb,
    'ka.uri': k8sUri(resource, ns, name, subresource) + (verb === 'list' ? '?limit=500&resourceVersion=0' : ''),
    'ka.response.code': code,
  });
}

export const rbacReason = (binding: string, role: string, subject: string) =>
  `RBAC: allowed by ${binding} of ClusterRole "${role}" to ${subject}`;

export const AWS_ACCOUNT = '123456789012';
export const ctFields = (user: string, ip: string, region: string, extra: Fields = {}): Fields => ({
  'ct.user': user,
  'ct.srcip': ip,
  'ct.region': region,
  ...extra,
});

export const GCP_PROJECT = 'acme-analytics-prod';
export const GCLOUD_AGENT =
  'google-cloud-sdk gcloud/471.0.0 command/gcloud.iam.service-accounts.keys.create invocation-id/4f0b3c2a9d8e4b1f environment/None environment-version/None client-os/LINUX client-os-ver/6.5.0 client-pltf-arch/x86_64 interactive/True from-script/False python/3.11.8 term/xterm-256color (Linux 6.5.0-1016-gcp),gzip(gfe)';
export const TERRAFORM_AGENT =
  'Terraform/1.7.5 (+https://www.terraform.io) Terraform-Plugin-SDK/2.33.0 terraform-provider-google/5.25.0,gzip(gfe)';
export const BROWSER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36,gzip(gfe),gzip(gfe)';

export function gcpFields(
  user: string,
  ip: string,
  agent: string,
  permission: string,
  resource: string,
  request: Record<string, unknown>,
  extra: Fields = {},
): Fields {
  return {
    'gcp.projectId': GCP_PROJECT,
    'gcp.user': user,
    'gcp.callerIP': ip,
    'gcp.userAgent': agent,
    'gcp.authorizationInfo': JSON.stringify([{ granted: true, permission, resource, resourceAttributes: {} }]),
    'gcp.request': JSON.stringify(request),
    ...extra,
  };
}
