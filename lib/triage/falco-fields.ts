// The Falco fields an exception may name, per rule source, with the kind of value each holds.
// Taken from the field tables of falcosecurity/libs (syscall) and of the k8saudit plugin
// (docs/decisions/0036). A field not listed here is not offered and is refused in a rules file.

/** What a field holds, which decides the operators that fit it. */
export type FieldKind = 'string' | 'number' | 'list';

// Fields with an ancestor index, `proc.aname[2]`: level 0 is the process, 1 its parent.
const INDEXED = /^(proc\.a(?:name|exepath|exe|cmdline|pid))\[(\d{1,2})\]$/;
// An event's argument by name or position, as the rule's output shows it.
const EVENT_ARGUMENT = /^evt\.arg(?:\.[a-z_]{1,32}|\[\d{1,2}\])$/;

const SYSCALL_STRINGS = [
  'proc.name',
  'proc.pname',
  'proc.exe',
  'proc.pexe',
  'proc.exepath',
  'proc.pexepath',
  'proc.args',
  'proc.cmdline',
  'proc.pcmdline',
  'proc.exeline',
  'proc.cwd',
  'proc.sname',
  'proc.sid.exe',
  'proc.sid.exepath',
  'proc.vpgid.name',
  'proc.vpgid.exe',
  'proc.vpgid.exepath',
  'user.name',
  'user.loginname',
  'user.homedir',
  'user.shell',
  'group.name',
  'fd.name',
  'fd.directory',
  'fd.filename',
  'fd.nameraw',
  'fd.type',
  'fd.typechar',
  'fd.l4proto',
  'fd.sockfamily',
  'fd.sip.name',
  'fd.cip.name',
  'fd.lip.name',
  'fd.rip.name',
  'fs.path.name',
  'fs.path.source',
  'fs.path.target',
  'evt.type',
  'evt.category',
  'evt.res',
  'evt.args',
  'thread.cap_permitted',
  'thread.cap_effective',
  'thread.cap_inheritable',
  'container.id',
  'container.full_id',
  'container.name',
  'container.image',
  'container.image.id',
  'container.image.repository',
  'container.image.tag',
  'container.image.digest',
  'container.type',
  'k8s.ns.name',
  'k8s.pod.name',
  'k8s.pod.uid',
] as const;

// Numbers and addresses: `=` and `in` fit them, the string operators do not.
const SYSCALL_NUMBERS = [
  'proc.pid',
  'proc.ppid',
  'proc.vpid',
  'proc.sid',
  'proc.tty',
  'user.uid',
  'user.loginuid',
  'group.gid',
  'fd.sport',
  'fd.cport',
  'fd.lport',
  'fd.rport',
  'fd.sip',
  'fd.cip',
  'fd.lip',
  'fd.rip',
];

const K8S_AUDIT_STRINGS = [
  'ka.auditid',
  'ka.stage',
  'ka.auth.decision',
  'ka.auth.reason',
  'ka.user.name',
  'ka.impuser.name',
  'ka.verb',
  'ka.uri',
  'ka.target.name',
  'ka.target.namespace',
  'ka.target.resource',
  'ka.target.subresource',
  'ka.req.binding.role',
  'ka.req.configmap.name',
  'ka.req.container.image',
  'ka.req.container.image.repository',
  'ka.req.service.type',
  'ka.resp.name',
  'ka.response.code',
  'ka.response.reason',
  'ka.useragent',
];

const K8S_AUDIT_LISTS = [
  'ka.user.groups',
  'ka.req.binding.subjects',
  'ka.req.pod.containers.image',
  'ka.req.pod.containers.image.repository',
  'ka.req.pod.volumes.hostpath',
];

const kinds = (entries: Record<FieldKind, readonly string[]>) =>
  new Map(
    (Object.entries(entries) as [FieldKind, readonly string[]][]).flatMap(([kind, names]) =>
      names.map((name) => [name, kind] as const),
    ),
  );

const CATALOG: Record<string, Map<string, FieldKind>> = {
  syscall: kinds({ string: SYSCALL_STRINGS, number: SYSCALL_NUMBERS, list: [] }),
  k8s_audit: kinds({ string: K8S_AUDIT_STRINGS, number: [], list: K8S_AUDIT_LISTS }),
};

/** The sources whose fields Perch knows. */
export const KNOWN_SOURCES = Object.keys(CATALOG);

/** The kind of a Falco field of `source`, or undefined when Falco's rules of that source have no such field. */
export function fieldKind(source: string, field: string): FieldKind | undefined {
  const catalog = CATALOG[source];
  if (catalog === undefined) return undefined;
  const indexed = INDEXED.exec(field);
  if (indexed !== null) {
    if (source !== 'syscall') return undefined;
    return indexed[1] === 'proc.apid' ? 'number' : 'string';
  }
  if (EVENT_ARGUMENT.test(field)) return source === 'syscall' ? 'string' : undefined;
  return catalog.get(field);
}
