// The demo's rules: the stable rules of falco_rules.yaml, read from the e2e corpus's table, and
// a selection of plugin rules copied from shared/falco/corpus/plugin-rules.tsv.
import { readFileSync } from 'node:fs';

export type Priority = 'Critical' | 'Error' | 'Warning' | 'Notice' | 'Informational' | 'Debug';
export type FieldValue = string | number | bigint | boolean | null | readonly string[];
export type Fields = Record<string, FieldValue>;

export interface RuleDef {
  name: string;
  priority: Priority;
  source: string;
  tags: readonly string[];
  template: string;
  /** The %fields of the template, in order: exactly the output_fields keys Falco sends. */
  fields: readonly string[];
}

type RuleRow = readonly [name: string, priority: Priority, source: string, tags: string, template: string];

const PRIORITY_OF: Readonly<Record<string, Priority>> = {
  CRITICAL: 'Critical',
  ERROR: 'Error',
  WARNING: 'Warning',
  NOTICE: 'Notice',
  INFO: 'Informational',
  INFORMATIONAL: 'Informational',
  DEBUG: 'Debug',
};

/** e2e/fixtures/falco/default-rules.tsv: rule, priority, tags, output template, source, enabled, file. */
function stableRules(): RuleRow[] {
  const tsv = readFileSync(new URL('../../e2e/fixtures/falco/default-rules.tsv', import.meta.url), 'utf8');
  return tsv
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', priority = '', tags = '', template = '', source = ''] = line.split('\t');
      const known = PRIORITY_OF[priority.toUpperCase()];
      if (!known) throw new Error(`default-rules.tsv: unknown priority ${priority} for ${name}`);
      return [name, known, source, tags, template] as const;
    });
}

// Plugin rules: rule, priority, source, tags, output template.
const PLUGIN_RULES: readonly RuleRow[] = [
  [
    'Disallowed K8s User',
    'Warning',
    'k8s_audit',
    'k8s',
    'K8s Operation performed by user not in allowed list of users (user=%ka.user.name target=%ka.target.name/%ka.target.resource verb=%ka.verb uri=%ka.uri resp=%ka.response.code)',
  ],
  [
    'Attach/Exec Pod',
    'Notice',
    'k8s_audit',
    'k8s',
    'Attach/Exec to pod (user=%ka.user.name pod=%ka.target.name resource=%ka.target.resource ns=%ka.target.namespace action=%ka.target.subresource command=%ka.uri.param[command])',
  ],
  [
    'Create Privileged Pod',
    'Warning',
    'k8s_audit',
    'k8s',
    'Pod started with privileged container (user=%ka.user.name pod=%ka.resp.name resource=%ka.target.resource ns=%ka.target.namespace images=%ka.req.pod.containers.image init_images=%ka.req.pod.initContainers.image ephemeral_images=%ka.req.pod.ephemeralContainers.image)',
  ],
  [
    'Create Sensitive Mount Pod',
    'Warning',
    'k8s_audit',
    'k8s',
    'Pod started with sensitive mount (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace resource=%ka.target.resource images=%ka.req.pod.containers.image volumes=%jevt.value[/requestObject/spec/volumes])',
  ],
  [
    'K8s Secret Get Successfully',
    'Error',
    'k8s_audit',
    'k8s',
    'K8s Secret Get Successfully (user=%ka.user.name secret=%ka.target.name ns=%ka.target.namespace resource=%ka.target.resource resp=%ka.response.code decision=%ka.auth.decision reason=%ka.auth.reason)',
  ],
  [
    'K8s Deployment Created',
    'Informational',
    'k8s_audit',
    'k8s',
    'K8s Deployment Created (user=%ka.user.name deployment=%ka.target.name ns=%ka.target.namespace resource=%ka.target.resource resp=%ka.response.code decision=%ka.auth.decision reason=%ka.auth.reason)',
  ],
  [
    'Create NodePort Service',
    'Warning',
    'k8s_audit',
    'k8s',
    'NodePort Service Created (user=%ka.user.name service=%ka.target.name resource=%ka.target.resource ns=%ka.target.namespace ports=%ka.req.service.ports)',
  ],
  [
    'Pod Created in Kube Namespace',
    'Warning',
    'k8s_audit',
    'k8s',
    'Pod created in kube namespace (user=%ka.user.name pod=%ka.resp.name resource=%ka.target.resource ns=%ka.target.namespace images=%ka.req.pod.containers.image)',
  ],
  [
    'Create HostNetwork Pod',
    'Warning',
    'k8s_audit',
    'k8s',
    'Pod started using host network (user=%ka.user.name pod=%ka.resp.name resource=%ka.target.resource ns=%ka.target.namespace images=%ka.req.pod.containers.image)',
  ],
  [
    'Console Login Without MFA',
    'Critical',
    'aws_cloudtrail',
    'cloud,aws,aws_console,aws_iam',
    'Detected a console login without MFA (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region)',
  ],
  [
    'Create AWS user',
    'Informational',
    'aws_cloudtrail',
    'cloud,aws,aws_iam',
    'A new AWS user has been created (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, new user created=%ct.request.username)',
  ],
  [
    'CloudTrail Logging Disabled',
    'Warning',
    'aws_cloudtrail',
    'cloud,aws,aws_cloudtrail',
    'The CloudTrail logging has been disabled. (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, resource name=%ct.request.name)',
  ],
  [
    'Put Bucket Policy',
    'Warning',
    'aws_cloudtrail',
    'cloud,aws,aws_s3',
    'An Amazon S3 bucket policy has been applied to an Amazon S3 bucket. (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, bucket name=%s3.bucket, policy=%ct.request.policy)',
  ],
  [
    'List Buckets',
    'Warning',
    'aws_cloudtrail',
    'cloud,aws,aws_s3',
    'A list of all S3 buckets has been requested. (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, host=%ct.request.host)',
  ],
  [
    'Delete Bucket Public Access Block',
    'Critical',
    'aws_cloudtrail',
    'cloud,aws,aws_s3',
    'A public access block for a bucket has been deleted (requesting user=%ct.user, requesting IP=%ct.srcip, AWS region=%ct.region, bucket=%s3.bucket)',
  ],
  [
    'GCP IAM service account key created',
    'Notice',
    'gcp_auditlog',
    'GCP,IAM,abuse-elevation-control-mechanism',
    'project=%gcp.projectId A GCP service account key was created by user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request',
  ],
  [
    'GCP Bucket enumerated',
    'Notice',
    'gcp_auditlog',
    'GCP,buckets,TA0007-discovery,T1083-file-and-directory-discovery',
    "project=%gcp.projectId A GCS bucket's content has been listed to user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request bucketName=%gcp.storage.bucket",
  ],
  [
    'GCP GCE Firewall rule modified',
    'Notice',
    'gcp_auditlog',
    'GCP,Firewall,TA0005-defense-evasion,T1562-impair-defenses',
    'project=%gcp.projectId A GCP GCE Firewall rule was modified by user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request',
  ],
  [
    'GCP Bucket configured to be public',
    'Critical',
    'gcp_auditlog',
    'GCP,buckets,compliance',
    'project=%gcp.projectId A GCP bucket has been granted public access by user=%gcp.user userIP=%gcp.callerIP userAgent=%gcp.userAgent bindedDelta=%gcp.policyDelta authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request bucketName=%gcp.storage.bucket',
  ],
  [
    'GCP IAM policy modified',
    'Notice',
    'gcp_auditlog',
    'GCP,IAM,abuse-elevation-control-mechanism',
    'project=%gcp.projectId A GCP IAM policy was modified by user=%gcp.user bindingPolicy=%gcp.policyDelta userIP=%gcp.callerIP userAgent=%gcp.userAgent authorizationInfo=%gcp.authorizationInfo rawRequest=%gcp.request',
  ],
  // Falco's own health report: no time prefix, no tags, counters as strings (see corpus line 24).
  [
    'Falco internal: syscall event drop',
    'Debug',
    'internal',
    '',
    'Falco internal: syscall event drop. %n_drops system calls dropped in last second.',
  ],
];

export const FIELD_PATTERN = /%([A-Za-z_][\w.]*(?:\[[^\]\s]*\])?)/g;
// A template may end a field with a full stop ("%ct.request.name."): it is text, not part of the name.
export const fieldName = (raw: string) => raw.replace(/\.+$/, '');

const RULES = new Map<string, RuleDef>(
  [...stableRules(), ...PLUGIN_RULES].map(([name, priority, source, tags, template]) => [
    name,
    {
      name,
      priority,
      source,
      tags: tags
        .split(',')
        .filter((tag) => tag !== '')
        .sort(),
      template,
      fields: [...new Set([...template.matchAll(FIELD_PATTERN)].map((match) => fieldName(match[1] ?? '')))],
    },
  ]),
);

export function ruleOrThrow(name: string): RuleDef {
  const rule = RULES.get(name);
  if (!rule) throw new Error(`demo rule not defined: ${name}`);
  return rule;
}
