import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { containerHintsFromOutput, LABELS } from './output-text';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const outputOfLine = (n: number) => (JSON.parse(corpusLines[n - 1]!) as { output: string }).output;

describe('containerHintsFromOutput', () => {
  it('reads corpus line 1 (k8s.ns, k8s.pod, container_id, image)', () => {
    expect(containerHintsFromOutput(outputOfLine(1))).toEqual({
      containerId: 'ee97d9c4186f',
      containerName: null,
      image: 'docker.io/library/alpine',
      imageTag: null,
      k8sNamespace: 'default',
      k8sPod: 'kubecon',
    });
  });

  it('reads corpus line 10 (first occurrence wins; value ends at the closing parenthesis)', () => {
    expect(containerHintsFromOutput(outputOfLine(10))).toEqual({
      containerId: 'f29b261f8831',
      containerName: null,
      image: 'mysql',
      imageTag: null,
      k8sNamespace: 'default',
      k8sPod: 'alpine',
    });
  });

  it('reads corpus line 22 (bare `container=` label; parent=<NA> is not a hint)', () => {
    expect(containerHintsFromOutput(outputOfLine(22))).toEqual({
      containerId: 'a98c2aa8e670',
      containerName: null,
      image: null,
      imageTag: null,
      k8sNamespace: null,
      k8sPod: 'falco-74htl',
    });
  });

  it('reads corpus line 37 (underscore labels; `<NA>` becomes null)', () => {
    expect(containerHintsFromOutput(outputOfLine(37))).toEqual({
      containerId: '920b85e0cae2',
      containerName: 'eventgen',
      image: 'falcosecurity/event-generator',
      imageTag: 'latest',
      k8sNamespace: null,
      k8sPod: null,
    });
  });

  it('reads empty label values (a host image) as null (corpus line 31)', () => {
    expect(containerHintsFromOutput(outputOfLine(31))).toEqual({
      containerId: 'host',
      containerName: 'host',
      image: null,
      imageTag: null,
      k8sNamespace: null,
      k8sPod: null,
    });
  });

  it('accepts a bare `container=` only when it looks like an id', () => {
    expect(containerHintsFromOutput('x (container=lab9-helper user=root)').containerId).toBeNull();
    expect(containerHintsFromOutput('x (container=host user=root)').containerId).toBe('host');
    // An explicit container_id label wins over the bare one (corpus line 77).
    expect(containerHintsFromOutput(outputOfLine(77)).containerId).toBe('734c7523764d');
  });

  it('matches labels only at a word boundary', () => {
    const hints = containerHintsFromOutput(
      'Warning x (user=a images=busybox my_container_id=abcdefabcdef xk8s.ns=evil)',
    );
    expect(hints).toEqual({
      containerId: null,
      containerName: null,
      image: null,
      imageTag: null,
      k8sNamespace: null,
      k8sPod: null,
    });
    expect(containerHintsFromOutput('(image=nginx)').image).toBe('nginx');
    expect(containerHintsFromOutput('a | container_name=web').containerName).toBe('web');
  });

  it('returns all nulls for text without labels', () => {
    expect(
      containerHintsFromOutput('Falco internal: syscall event drop. 815508 system calls dropped in last second.'),
    ).toEqual({
      containerId: null,
      containerName: null,
      image: null,
      imageTag: null,
      k8sNamespace: null,
      k8sPod: null,
    });
  });
});

// The implementation before the one-pass scan (one regular expression per label), kept to show that
// the scan finds the same values.
function searchPerLabel(output: string): Record<string, string | null> {
  const hints: Record<string, string | null> = {};
  for (const [hint, names] of Object.entries(LABELS)) {
    hints[hint] = null;
    for (const name of names) {
      const found = new RegExp(`(?:^|[\\s(|])${name.replace(/\./g, '\\.')}=([^\\s)]+)`).exec(output)?.[1];
      if (found !== undefined) {
        hints[hint] = found === '<NA>' ? null : found;
        break;
      }
    }
  }
  if (hints.containerId !== null && !/^(?:[0-9a-f]{12,64}|host)$/.test(hints.containerId!)) hints.containerId = null;
  return hints;
}

describe('containerHintsFromOutput, one pass', () => {
  it('finds what one search per label finds, on every corpus line', () => {
    corpusLines.forEach((_, i) => {
      expect(containerHintsFromOutput(outputOfLine(i + 1)), `line ${i + 1}`).toEqual(
        searchPerLabel(outputOfLine(i + 1)),
      );
    });
  });

  it('finds what one search per label finds, on random label soup', () => {
    const pieces = [
      'container_id',
      'container.id',
      'container',
      'container_name',
      'image',
      'container_image',
      'container.image.tag',
      'k8s.ns',
      'k8s_ns_name',
      'k8s.pod',
      'k8s_pod',
      'xcontainer',
      'Container',
      'k8s.ns.name.x',
      'user',
      '=',
      '==',
      ' ',
      '(',
      ')',
      '|',
      '\t',
      '\n',
      '\u00a0',
      '\u2003',
      '\u0085',
      ',',
      ':',
      '.',
      '_',
      'abc',
      'host',
      'ee97d9c4186f',
      '<NA>',
      'é',
      '"',
    ];
    let state = 7;
    const random = (n: number) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    for (let i = 0; i < 5_000; i++) {
      let output = '';
      for (let n = random(30); n > 0; n--) output += pieces[random(pieces.length)];
      expect(containerHintsFromOutput(output), JSON.stringify(output)).toEqual(searchPerLabel(output));
    }
  });
});
