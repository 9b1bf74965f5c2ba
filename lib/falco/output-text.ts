// Before Falco 0.41 (no container plugin) container and Kubernetes details often exist only as
// `label=value` pairs inside the rendered output line. These are the labels the rules used.

export interface ContainerHints {
  containerId: string | null;
  containerName: string | null;
  image: string | null;
  imageTag: string | null;
  k8sNamespace: string | null;
  k8sPod: string | null;
}

const LABELS: Record<keyof ContainerHints, readonly string[]> = {
  containerId: ['container_id', 'container.id', 'container'],
  containerName: ['container_name', 'container.name'],
  image: ['container_image_repository', 'container.image.repository', 'image', 'container_image'],
  imageTag: ['container_image_tag', 'container.image.tag'],
  k8sNamespace: ['k8s_ns_name', 'k8s.ns.name', 'k8s.ns', 'k8s_ns'],
  k8sPod: ['k8s_pod_name', 'k8s.pod.name', 'k8s.pod', 'k8s_pod'],
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PATTERNS = Object.fromEntries(
  Object.entries(LABELS).map(([hint, labels]) => [
    hint,
    labels.map((label) => new RegExp(`(?:^|[\\s(|])${escapeRegExp(label)}=([^\\s)]+)`)),
  ]),
) as Record<keyof ContainerHints, RegExp[]>;

/** Container and Kubernetes values found in the output text; `<NA>` and absent labels are null. */
export function containerHintsFromOutput(output: string): ContainerHints {
  const hints = {} as ContainerHints;
  for (const hint of Object.keys(LABELS) as (keyof ContainerHints)[]) {
    let value: string | null = null;
    for (const pattern of PATTERNS[hint]) {
      const found = pattern.exec(output)?.[1];
      if (found !== undefined) {
        value = found === '<NA>' ? null : found;
        break;
      }
    }
    hints[hint] = value;
  }
  // A bare `container=` label is the id only when it looks like one (12 hex digits or "host").
  if (hints.containerId !== null && !/^(?:[0-9a-f]{12,64}|host)$/.test(hints.containerId)) hints.containerId = null;
  return hints;
}
