// The demo's made-up production cluster: EKS nodes, workloads and their containers, users, and the
// process chains Falco would see in them. The same for every seed.
import {
  chance,
  chars,
  DAY_MS,
  hex,
  HOUR_MS,
  int,
  k8sSuffix,
  MINUTE_MS,
  NS_PER_MS,
  pick,
  type Rng,
  rngFor,
} from './rng';

export interface Proc {
  name: string;
  exe: string;
  cmdline: string;
  /** argv[0] when it differs from the executable path (`proc.exe`). */
  argv0?: string;
  pid?: number;
}

/** A process as Falco names it: proc.cmdline is the comm name followed by the arguments. */
export const proc = (name: string, exe: string, args = '', extra: Partial<Proc> = {}): Proc => ({
  name,
  exe,
  cmdline: args ? `${name} ${args}` : name,
  ...extra,
});

export interface User {
  name: string;
  uid: number;
  loginuid: number;
  loginname: string;
  group: string;
  gid: number;
}

const account = (name: string, uid: number, group = name, gid = uid): User => ({
  name,
  uid,
  loginuid: -1,
  loginname: '<NA>',
  group,
  gid,
});
const loggedIn = (user: User): User => ({ ...user, loginuid: user.uid, loginname: user.name });
export const ROOT = account('root', 0);
/** root after sudo: the login uid still names the person. */
export const sudoRoot = (admin: User): User => ({ ...ROOT, loginuid: admin.uid, loginname: admin.name });
export const ADMINS = [
  account('alice', 1001),
  account('bob', 1002),
  account('priya', 1003),
  account('marek', 1004),
].map(loggedIn);
export const K8S_PEOPLE = [
  'alice@example.com',
  'bob@example.com',
  'priya@example.com',
  'marek@example.com',
  'kubernetes-admin',
];

export interface Host {
  index: number;
  name: string;
  ip: string;
  /** Nodes whose Falco config appends pids and ancestors (append_output → extra_fields). */
  extraFields: boolean;
  /** New processes per second. */
  pidRate: number;
}

export const HOSTS: readonly Host[] = (
  [
    ['10.0.11.27', false],
    ['10.0.12.164', false],
    ['10.0.13.52', false],
    ['10.0.21.9', true],
    ['10.0.22.201', true],
    ['10.0.31.88', true],
  ] as const
).map(([ip, extraFields], index) => ({
  index,
  ip,
  name: `ip-${ip.replaceAll('.', '-')}.ec2.internal`,
  extraFields,
  pidRate: 0.4 + 0.2 * index,
}));

export function hostAt(index: number): Host {
  const host = HOSTS[index];
  if (!host) throw new Error(`no demo host ${index}`);
  return host;
}

// k8saudit and the cloud plugins run in one Falco deployment each, scheduled on these nodes.
export const AUDIT_HOST = hostAt(0);
export const CLOUD_HOST = hostAt(1);
export const CI_HOST = hostAt(5);

const REBOOT_PERIOD_MS = 30 * DAY_MS;

/** Nodes reboot for patching every 30 days, each on its own day, at 03:00 UTC. */
export function hostBootMs(host: Host, tMs: number): number {
  const offset = host.index * 5 * DAY_MS + 3 * HOUR_MS;
  return Math.floor((tMs - offset) / REBOOT_PERIOD_MS) * REBOOT_PERIOD_MS + offset;
}

/** The pid a node hands out at a moment: counting up from boot (which takes the first ~2,000), never wrapping. */
export const hostPidAt = (host: Host, tMs: number) =>
  2_000 + Math.floor(((tMs - hostBootMs(host, tMs)) / 1000) * host.pidRate);

/** The pid of a process started `agoMs` before `tMs`, or just after boot if the node booted since. */
export const pidStartedAgo = (host: Host, tMs: number, agoMs: number) =>
  hostPidAt(host, Math.max(tMs - agoMs, hostBootMs(host, tMs) + 60_000));

type Kind =
  | 'java'
  | 'python'
  | 'node'
  | 'ingress'
  | 'postgres'
  | 'redis'
  | 'kafka'
  | 'prometheus'
  | 'exporter'
  | 'grafana'
  | 'alertmanager'
  | 'cni'
  | 'csi'
  | 'runner'
  | 'build-go'
  | 'build-node'
  | 'build-python'
  | 'dind'
  | 'netshoot'
  | 'toolbox'
  | 'node-debugger';
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

export interface Container {
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

const BUSYBOX_APPLETS = new Set([
  'sh',
  'cat',
  'find',
  'grep',
  'ln',
  'truncate',
  'shred',
  'wget',
  'nc',
  'sleep',
  'head',
  'chmod',
  'env',
  'ls',
]);
const TOOL_PATHS: Record<string, string> = {
  nc: '/usr/bin/nc.traditional',
  python3: '/usr/local/bin/python3.12',
  tcpdump: '/usr/bin/tcpdump',
  strace: '/usr/bin/strace',
  gdb: '/usr/bin/gdb',
  'py-spy': '/usr/local/bin/py-spy',
  psql: '/usr/lib/postgresql/16/bin/psql',
  modprobe: '/sbin/modprobe',
  insmod: '/usr/sbin/insmod',
  debugfs: '/usr/sbin/debugfs',
  zsh: '/bin/zsh',
  su: '/usr/bin/su',
};

function toolPath(base: Base, name: string): string {
  if ((base === 'alpine' || base === 'busybox') && BUSYBOX_APPLETS.has(name)) return '/bin/busybox';
  if (name === 'bash') return base === 'alpine' ? '/bin/bash' : '/usr/bin/bash';
  if (name === 'sh') return base === 'debian' ? '/usr/bin/dash' : '/usr/bin/bash';
  return TOOL_PATHS[name] ?? `/usr/bin/${name}`;
}

export const tool = (base: Base, name: string, args = '') => proc(name, toolPath(base, name), args);

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const EKS_ECR = '602401143452.dkr.ecr.us-east-1.amazonaws.com';
export const RUNNER_HELPER = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v16.11.0';

function javaApp(jar: string, user: User): Profile {
  return {
    kind: 'java',
    base: 'debian',
    user,
    cwd: '/app/',
    shells: ['bash', 'sh'],
    execWeight: 3,
    main: [
      proc(
        'java',
        '/opt/java/openjdk/bin/java',
        `-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -jar /app/${jar}.jar`,
      ),
    ],
  };
}

function gunicornApp(module: string, user: User): Profile {
  // gunicorn's master forks the workers, so both carry the command line of the exec.
  const gunicorn = proc(
    'gunicorn',
    '/usr/local/bin/python3.12',
    `--bind 0.0.0.0:8080 --workers 4 --timeout 30 ${module}`,
    {
      argv0: '/usr/local/bin/python3.12',
    },
  );
  return {
    kind: 'python',
    base: 'debian',
    user,
    cwd: '/srv/app/',
    shells: ['bash', 'sh'],
    execWeight: 3,
    main: [gunicorn, gunicorn],
  };
}

function buildProfile(kind: 'build-go' | 'build-node' | 'build-python', project: string): Profile {
  return {
    kind,
    base: 'debian',
    user: ROOT,
    cwd: `/builds/acme/${project}/`,
    shells: ['bash'],
    execWeight: 0.3,
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
  {
    app: 'payments-api',
    ns: 'payments',
    naming: 'deployment',
    container: 'payments-api',
    image: `${ECR}/payments/payments-api:2.14.3`,
    nodes: [1, 3, 4],
    profile: javaApp('payments-api', account('app', 1000)),
  },
  {
    app: 'fraud-scorer',
    ns: 'payments',
    naming: 'deployment',
    container: 'scorer',
    image: `${ECR}/payments/fraud-scorer:1.8.0`,
    nodes: [2, 4],
    profile: gunicornApp('scorer.wsgi:app', account('scorer', 10001)),
  },
  {
    app: 'ledger-worker',
    ns: 'payments',
    naming: 'deployment',
    container: 'ledger-worker',
    image: `${ECR}/payments/ledger-worker:2.14.3`,
    nodes: [3],
    profile: javaApp('ledger-worker', account('app', 1000)),
  },
  {
    app: 'checkout-web',
    ns: 'checkout',
    naming: 'deployment',
    container: 'web',
    image: `${ECR}/checkout/checkout-web:5.2.1`,
    nodes: [1, 2, 4],
    profile: {
      kind: 'node',
      base: 'alpine',
      user: account('node', 1000),
      cwd: '/usr/src/app/',
      shells: ['sh'],
      execWeight: 3,
      main: [proc('node', '/usr/local/bin/node', '--enable-source-maps dist/server.js')],
    },
  },
  // Runs as root: an old Dockerfile nobody has fixed, which is why it shows up in the sensitive-file rules.
  {
    app: 'cart-service',
    ns: 'checkout',
    naming: 'deployment',
    container: 'cart',
    image: `${ECR}/checkout/cart-service:3.0.7`,
    nodes: [2, 3, 4],
    profile: gunicornApp('cart.app:create_app()', ROOT),
  },
  {
    app: 'aws-node',
    ns: 'kube-system',
    naming: 'daemonset',
    container: 'aws-node',
    image: `${EKS_ECR}/amazon-k8s-cni:v1.18.1-eksbuild.1`,
    nodes: [0, 2, 4],
    hostNetwork: true,
    profile: {
      kind: 'cni',
      base: 'amazonlinux',
      user: ROOT,
      cwd: '/app/',
      shells: ['bash'],
      execWeight: 0.6,
      main: [proc('aws-vpc-cni', '/app/aws-vpc-cni'), proc('aws-k8s-agent', '/app/aws-k8s-agent')],
    },
  },
  {
    app: 'ebs-csi-node',
    ns: 'kube-system',
    naming: 'daemonset',
    container: 'ebs-plugin',
    image: `${EKS_ECR}/eks/aws-ebs-csi-driver:v1.30.0`,
    nodes: [1, 3],
    hostNetwork: true,
    profile: {
      kind: 'csi',
      base: 'amazonlinux',
      user: ROOT,
      cwd: '/',
      shells: ['bash'],
      privileged: true,
      execWeight: 0.3,
      main: [
        proc(
          'aws-ebs-csi-dri',
          '/bin/aws-ebs-csi-driver',
          'node --endpoint=unix:/csi/csi.sock --logging-format=text --v=2',
        ),
      ],
    },
  },
  {
    app: 'ebs-csi-controller',
    ns: 'kube-system',
    naming: 'deployment',
    container: 'ebs-plugin',
    image: `${EKS_ECR}/eks/aws-ebs-csi-driver:v1.30.0`,
    nodes: [0],
    profile: {
      kind: 'csi',
      base: 'amazonlinux',
      user: ROOT,
      cwd: '/',
      shells: ['bash'],
      execWeight: 0.3,
      main: [
        proc(
          'aws-ebs-csi-dri',
          '/bin/aws-ebs-csi-driver',
          'controller --endpoint=unix:///var/lib/csi/sockets/pluginproxy/csi.sock --k8s-tag-cluster-id=prod-eks --logging-format=text --v=2',
        ),
      ],
    },
  },
  {
    app: 'prometheus-server',
    ns: 'monitoring',
    naming: 'statefulset',
    container: 'prometheus',
    image: 'quay.io/prometheus/prometheus:v2.51.2',
    nodes: [0],
    profile: {
      kind: 'prometheus',
      base: 'busybox',
      user: account('nobody', 65534, 'nogroup'),
      cwd: '/prometheus/',
      shells: ['sh'],
      execWeight: 0.8,
      main: [
        proc(
          'prometheus',
          '/bin/prometheus',
          '--config.file=/etc/config/prometheus.yml --storage.tsdb.path=/data --storage.tsdb.retention.time=15d --web.enable-lifecycle',
        ),
      ],
    },
  },
  {
    app: 'node-exporter',
    ns: 'monitoring',
    naming: 'daemonset',
    container: 'node-exporter',
    image: 'quay.io/prometheus/node-exporter:v1.8.0',
    nodes: [2, 5],
    hostNetwork: true,
    profile: {
      kind: 'exporter',
      base: 'busybox',
      user: account('nobody', 65534, 'nogroup'),
      cwd: '/',
      shells: ['sh'],
      execWeight: 0.3,
      main: [
        proc(
          'node_exporter',
          '/bin/node_exporter',
          '--path.procfs=/host/proc --path.sysfs=/host/sys --path.rootfs=/host/root',
        ),
      ],
    },
  },
  {
    app: 'grafana',
    ns: 'monitoring',
    naming: 'deployment',
    container: 'grafana',
    image: 'docker.io/grafana/grafana:10.4.2',
    nodes: [1],
    profile: {
      kind: 'grafana',
      base: 'alpine',
      user: account('grafana', 472, 'root', 0),
      cwd: '/usr/share/grafana/',
      shells: ['sh'],
      execWeight: 0.7,
      main: [
        proc(
          'grafana',
          '/usr/share/grafana/bin/grafana',
          'server --homepath=/usr/share/grafana --config=/etc/grafana/grafana.ini --packaging=docker',
        ),
      ],
    },
  },
  {
    app: 'alertmanager',
    ns: 'monitoring',
    naming: 'statefulset',
    container: 'alertmanager',
    image: 'quay.io/prometheus/alertmanager:v0.27.0',
    nodes: [3],
    profile: {
      kind: 'alertmanager',
      base: 'busybox',
      user: account('nobody', 65534, 'nogroup'),
      cwd: '/alertmanager/',
      shells: ['sh'],
      execWeight: 0.3,
      main: [
        proc(
          'alertmanager',
          '/bin/alertmanager',
          '--config.file=/etc/alertmanager/alertmanager.yml --storage.path=/alertmanager',
        ),
      ],
    },
  },
  {
    app: 'ingress-nginx-controller',
    ns: 'ingress-nginx',
    naming: 'deployment',
    container: 'controller',
    image: 'registry.k8s.io/ingress-nginx/controller:v1.10.1',
    nodes: [1, 3],
    profile: {
      kind: 'ingress',
      base: 'alpine',
      user: account('www-data', 101, 'www-data', 82),
      cwd: '/etc/nginx/',
      shells: ['bash', 'sh'],
      execWeight: 1.5,
      main: [
        proc('dumb-init', '/usr/bin/dumb-init', `-- /nginx-ingress-controller ${INGRESS_ARGS}`),
        proc('nginx-ingress-c', '/nginx-ingress-controller', INGRESS_ARGS, { argv0: '/nginx-ingress-controller' }),
        NGINX,
        NGINX,
      ],
    },
  },
  {
    app: 'postgres',
    ns: 'data',
    naming: 'statefulset',
    container: 'postgres',
    image: 'docker.io/library/postgres:16.2',
    nodes: [2, 4],
    profile: {
      kind: 'postgres',
      base: 'debian',
      user: account('postgres', 999),
      execUser: ROOT,
      cwd: '/var/lib/postgresql/',
      shells: ['bash'],
      execWeight: 2,
      main: [proc('postgres', '/usr/lib/postgresql/16/bin/postgres', '-c config_file=/etc/postgresql/postgresql.conf')],
    },
  },
  {
    app: 'redis-master',
    ns: 'data',
    naming: 'statefulset',
    container: 'redis',
    image: 'docker.io/library/redis:7.2.4-alpine',
    nodes: [3],
    profile: {
      kind: 'redis',
      base: 'alpine',
      user: account('redis', 999, 'redis', 1000),
      execUser: ROOT,
      cwd: '/data/',
      shells: ['sh'],
      execWeight: 1,
      main: [proc('redis-server', '/usr/local/bin/redis-server', '*:6379')],
    },
  },
  {
    app: 'kafka',
    ns: 'data',
    naming: 'statefulset',
    container: 'kafka',
    image: 'docker.io/bitnami/kafka:3.7.0',
    nodes: [1, 2, 4],
    profile: {
      kind: 'kafka',
      base: 'debian',
      user: account('kafka', 1001, 'root', 0),
      cwd: '/',
      shells: ['bash'],
      execWeight: 1.2,
      main: [
        proc(
          'java',
          '/opt/bitnami/java/bin/java',
          '-Xmx1024m -Xms1024m -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Dlog4j.configuration=file:/opt/bitnami/kafka/config/log4j.properties kafka.Kafka /opt/bitnami/kafka/config/server.properties',
        ),
      ],
    },
  },
  {
    app: 'gitlab-runner',
    ns: 'ci',
    naming: 'deployment',
    container: 'gitlab-runner',
    image: 'docker.io/gitlab/gitlab-runner:ubuntu-v16.11.0',
    nodes: [5],
    profile: {
      kind: 'runner',
      base: 'debian',
      user: account('gitlab-runner', 999),
      cwd: '/home/gitlab-runner/',
      shells: ['bash'],
      execWeight: 0.5,
      main: [
        proc(
          'dumb-init',
          '/usr/bin/dumb-init',
          '/entrypoint run --user=gitlab-runner --working-directory=/home/gitlab-runner',
        ),
        proc(
          'gitlab-runner',
          '/usr/bin/gitlab-runner',
          'run --user=gitlab-runner --working-directory=/home/gitlab-runner',
        ),
      ],
    },
  },
  {
    app: 'ledger',
    ns: 'ci',
    naming: 'ci',
    container: 'build',
    image: 'docker.io/library/golang:1.22-bookworm',
    nodes: [5],
    profile: buildProfile('build-go', 'ledger'),
  },
  {
    app: 'checkout-web',
    ns: 'ci',
    naming: 'ci',
    container: 'build',
    image: 'docker.io/library/node:20-bookworm',
    nodes: [5],
    profile: buildProfile('build-node', 'checkout-web'),
  },
  {
    app: 'fraud-scorer',
    ns: 'ci',
    naming: 'ci',
    container: 'build',
    image: 'docker.io/library/python:3.12-slim-bookworm',
    nodes: [5],
    profile: buildProfile('build-python', 'fraud-scorer'),
  },
  {
    app: 'platform-images',
    ns: 'ci',
    naming: 'ci',
    container: 'svc-0',
    image: 'docker.io/library/docker:26.0-dind',
    nodes: [5],
    profile: {
      kind: 'dind',
      base: 'alpine',
      user: ROOT,
      cwd: '/',
      shells: ['sh'],
      privileged: true,
      execWeight: 0.2,
      main: [
        proc('dockerd-entrypo', '/usr/local/bin/dockerd-entrypoint.sh', '/usr/local/bin/dockerd-entrypoint.sh', {
          argv0: '/bin/sh',
        }),
        proc(
          'dockerd',
          '/usr/local/bin/dockerd',
          '--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify --tlscacert /certs/server/ca.pem --tlscert /certs/server/cert.pem --tlskey /certs/server/key.pem',
        ),
      ],
    },
  },
  {
    app: 'netshoot',
    ns: 'default',
    naming: 'pod',
    container: 'netshoot',
    image: 'docker.io/nicolaka/netshoot:v0.12',
    nodes: [2],
    profile: {
      kind: 'netshoot',
      base: 'alpine',
      user: ROOT,
      cwd: '/root/',
      shells: ['bash', 'zsh'],
      execWeight: 4,
      main: [proc('sleep', '/bin/busybox', 'infinity')],
    },
  },
  {
    app: 'alpine-debug',
    ns: 'default',
    naming: 'pod',
    container: 'alpine',
    image: 'docker.io/library/alpine:3.19',
    nodes: [4],
    profile: {
      kind: 'toolbox',
      base: 'alpine',
      user: ROOT,
      cwd: '/',
      shells: ['sh'],
      execWeight: 2,
      main: [proc('sleep', '/bin/busybox', '3600')],
    },
  },
  {
    app: 'busybox-test',
    ns: 'default',
    naming: 'pod',
    container: 'busybox',
    image: 'docker.io/library/busybox:1.36',
    nodes: [0],
    profile: {
      kind: 'toolbox',
      base: 'busybox',
      user: ROOT,
      cwd: '/',
      shells: ['sh'],
      execWeight: 1,
      main: [proc('sleep', '/bin/sleep', '86400')],
    },
  },
  {
    app: 'node-debugger',
    ns: 'default',
    naming: 'debugger',
    container: 'debugger',
    image: 'docker.io/library/ubuntu:22.04',
    nodes: [3],
    hostNetwork: true,
    profile: {
      kind: 'node-debugger',
      base: 'debian',
      user: ROOT,
      cwd: '/',
      shells: ['bash'],
      privileged: true,
      execWeight: 0.5,
      main: [tool('debian', 'bash')],
    },
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

export const byKind = new Map<Kind, Container[]>();
for (const container of CONTAINERS) {
  const list = byKind.get(container.profile.kind) ?? [];
  list.push(container);
  byKind.set(container.profile.kind, list);
}

export function pickContainer(rng: Rng, ...kinds: Kind[]): Container {
  return pick(
    rng,
    kinds.flatMap((kind) => byKind.get(kind) ?? []),
  );
}

export const EXEC_TARGETS: readonly (readonly [number, Container])[] = CONTAINERS.map((c) => [c.profile.execWeight, c]);

/** When the container last (re)started: containers restart on a fixed per-container period. */
export function containerStartMs(c: Container, tMs: number): number {
  const sinceStart = (((tMs - c.restartPhaseMs) % c.restartPeriodMs) + c.restartPeriodMs) % c.restartPeriodMs;
  // A container cannot be older than its node's last boot: it came back a minute or two after.
  return Math.max(tMs - sinceStart - 30_000, hostBootMs(c.host, tMs) + 60_000 + (c.restartPhaseMs % 120_000));
}

export const startNs = (ms: number, salt: number) =>
  BigInt(Math.floor(ms)) * NS_PER_MS + BigInt((salt * 7919) % 1_000_000);

export const SYSTEMD = proc('systemd', '/usr/lib/systemd/systemd', '--switched-root --system --deserialize=32', {
  pid: 1,
});

function shimOf(c: Container, tMs: number): Proc {
  const started = containerStartMs(c, tMs);
  return proc(
    'containerd-shim',
    '/usr/bin/containerd-shim-runc-v2',
    `-namespace k8s.io -id ${c.sandboxId} -address /run/containerd/containerd.sock`,
    {
      pid: hostPidAt(c.host, started - 1_500),
    },
  );
}

/** The container's own processes, deepest first, down to the shim and the node's systemd. */
export function mainChain(c: Container, tMs: number): Proc[] {
  const shim = shimOf(c, tMs);
  const shimPid = shim.pid ?? 0;
  const main = c.profile.main.map((p, i) => ({ ...p, pid: shimPid + 14 + 9 * i }));
  return [...main.reverse(), shim, SYSTEMD];
}

/** `kubectl exec` and exec probes: runc starts the process inside the container. */
export function execParents(c: Container, tMs: number, rng: Rng): Proc[] {
  const task = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${c.fullId}`;
  const runc = proc(
    'runc',
    '/usr/bin/runc',
    `--root /run/containerd/runc/k8s.io --log ${task}/log.json --log-format json exec --process /tmp/runc-process${int(rng, 100_000_000, 3_999_999_999)} --detach --pid-file ${task}/${hex(rng, 64)}.pid ${c.fullId}`,
    {
      pid: hostPidAt(c.host, tMs) + int(rng, 0, 5),
    },
  );
  return [runc, shimOf(c, tMs), SYSTEMD];
}

/** A process started by the first one of `parents` just now: its pid comes right after. */
export const childOf = (parents: readonly Proc[], child: Proc, rng: Rng): Proc => ({
  ...child,
  pid: (parents[0]?.pid ?? 1_000) + int(rng, 1, 6),
});

export const sshdListener = (host: Host) => proc('sshd', '/usr/sbin/sshd', '-D', { pid: 1_100 + 37 * host.index });

/** An admin's shell on a node, deepest first: in tmux or straight from ssh. */
export function loginShell(host: Host, admin: User, tMs: number, rng: Rng): Proc[] {
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

export const sudo = (command: Proc) => proc('sudo', '/usr/bin/sudo', command.cmdline);
/** `sudo cmd` in a pty: sudo forks a monitor, so the chain holds sudo twice (FORMAT.md §4). */
export const sudoed = (command: Proc, shell: readonly Proc[]) => [command, sudo(command), sudo(command), ...shell];
