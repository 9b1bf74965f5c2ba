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

/** The labels of each hint, most specific first. */
export const LABELS: Record<keyof ContainerHints, readonly string[]> = {
  containerId: ['container_id', 'container.id', 'container'],
  containerName: ['container_name', 'container.name'],
  image: ['container_image_repository', 'container.image.repository', 'image', 'container_image'],
  imageTag: ['container_image_tag', 'container.image.tag'],
  k8sNamespace: ['k8s_ns_name', 'k8s.ns.name', 'k8s.ns', 'k8s_ns'],
  k8sPod: ['k8s_pod_name', 'k8s.pod.name', 'k8s.pod', 'k8s_pod'],
};

// A label is made of [\w.]; before it come the start, a space (\s), `(` or `|`. Char codes: these
// run for every character of every label.
const isLabelChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e;
const SPACE = /\s/;
const isBeforeLabel = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x28 || c === 0x7c || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && SPACE.test(text[i]!));
};
const VALUE = /[^\s)]+/y;

// Each label's hint and its rank among that hint's labels (0 is the most specific).
const HINT_OF_LABEL = new Map(
  (Object.entries(LABELS) as [keyof ContainerHints, readonly string[]][]).flatMap(([hint, labels]) =>
    labels.map((label, rank) => [label, { hint, rank }] as const),
  ),
);

/** Container and Kubernetes values found in the output text; `<NA>` and absent labels are null. */
export function containerHintsFromOutput(output: string): ContainerHints {
  const hints: ContainerHints = {
    containerId: null,
    containerName: null,
    image: null,
    imageTag: null,
    k8sNamespace: null,
    k8sPod: null,
  };
  // The first value of each hint's most specific label present, whatever comes later.
  const ranks: Partial<Record<keyof ContainerHints, number>> = {};
  // Every `label=value` in one pass, instead of one search per label: from each `=` back to the
  // start of its label. A label inside another's value counts, as a search for it alone finds it.
  for (let equals = output.indexOf('='); equals >= 0; equals = output.indexOf('=', equals + 1)) {
    let start = equals;
    while (start > 0 && isLabelChar(output.charCodeAt(start - 1))) start--;
    if (start === equals || (start > 0 && !isBeforeLabel(output, start - 1))) continue;
    const found = HINT_OF_LABEL.get(output.slice(start, equals));
    if (found === undefined || found.rank >= (ranks[found.hint] ?? Infinity)) continue;
    VALUE.lastIndex = equals + 1;
    const value = VALUE.exec(output)?.[0];
    if (value === undefined) continue;
    ranks[found.hint] = found.rank;
    hints[found.hint] = value === '<NA>' ? null : value;
  }
  // A bare `container=` label is the id only when it looks like one (12 hex digits or "host").
  if (hints.containerId !== null && !/^(?:[0-9a-f]{12,64}|host)$/.test(hints.containerId)) hints.containerId = null;
  return hints;
}
