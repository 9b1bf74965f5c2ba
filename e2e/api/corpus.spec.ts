// Every real alert of the corpus goes in the way Falco's http_output sends it and reads back with
// the right typed fields, its raw text byte for byte and its output_fields digit for digit.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { CORPUS_LINES, eventCount, post, uniqueTag } from '../fixtures/alerts';
import { canonicalPriority, canonicalTime, expectIngested, parseLossless, timeToNs } from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;

interface CorpusAlert {
  time: string;
  rule: string;
  priority: string;
  source?: string;
  hostname?: string;
  output?: string;
  tags?: string[];
  uuid?: string;
  output_fields?: Record<string, unknown>;
}

interface AncestryLevel {
  level: number;
  name: string | null;
  exepath: string | null;
  cmdline: string | null;
  pid: number | null;
}

interface EventDetail {
  id: number;
  time: string;
  timeNs: string;
  rule: string;
  priority: string;
  priorityRank: number;
  source: string | null;
  hostname: string | null;
  internal: boolean;
  uuid: string | null;
  output: string | null;
  tags: string[];
  containerId: string | null;
  containerName: string | null;
  imageRepository: string | null;
  imageTag: string | null;
  k8sNamespace: string | null;
  k8sPod: string | null;
  userName: string | null;
  ancestry: AncestryLevel[];
  raw: string;
  output_fields: Record<string, unknown>;
}

const line = (n: number): string => CORPUS_LINES[n - 1]!;

/** Posts one line exactly as Falco's http_output does; the store may already hold it (idempotent). */
async function ingestLine(request: APIRequestContext, text: string): Promise<number> {
  const response = await post(request, `${base}/api/events`, text);
  expect(response.status(), await response.text()).toBe(200);
  const report = (await response.json()) as { stored: number; duplicates: number; ids: number[] };
  expect(report.stored + report.duplicates).toBe(1);
  expect(report.ids).toHaveLength(1);
  return report.ids[0]!;
}

async function detail(request: APIRequestContext, id: number): Promise<{ event: EventDetail; text: string }> {
  const response = await request.get(`${base}/api/events/${id}`);
  const text = await response.text();
  expect(response.status(), text).toBe(200);
  return { event: JSON.parse(text) as EventDetail, text };
}

/** A usable text value of an output field: a non-empty string other than Falco's `<NA>`. */
function fieldText(fields: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '' && value !== '<NA>') return value;
  }
  return null;
}

/** `label=value` in the rendered output text, the way pre-0.41 Falco carried container details. */
function outputLabel(output: string, ...labels: string[]): string | null {
  for (const label of labels) {
    const match = new RegExp(`(?:^|[\\s(])${label.replace(/\./g, '\\.')}=([^\\s)]+)`).exec(output);
    if (match) return match[1] === '<NA>' ? null : match[1]!;
  }
  return null;
}

/** What the container/Kubernetes columns must hold: output_fields first, then the output text. */
function expectedContainer(alert: CorpusAlert) {
  const fields = alert.output_fields ?? {};
  const output = alert.output ?? '';
  let imageRepository = fieldText(fields, 'container.image.repository');
  let imageTag = fieldText(fields, 'container.image.tag');
  if (imageRepository === null) {
    const image = fieldText(fields, 'container.image') ?? outputLabel(output, 'container_image_repository', 'image');
    if (image !== null) {
      const colon = image.lastIndexOf(':');
      [imageRepository, imageTag] =
        colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, imageTag];
    }
  }
  return {
    containerId: fieldText(fields, 'container.id') ?? outputLabel(output, 'container_id', 'container'),
    containerName: fieldText(fields, 'container.name') ?? outputLabel(output, 'container_name'),
    imageRepository,
    imageTag,
    k8sNamespace:
      fieldText(fields, 'k8s.ns.name', 'ka.target.namespace') ?? outputLabel(output, 'k8s_ns_name', 'k8s.ns'),
    k8sPod: fieldText(fields, 'k8s.pod.name') ?? outputLabel(output, 'k8s_pod_name', 'k8s.pod'),
  };
}

const INTERNAL_LINES = [15, 24, 78, 87];

test.describe('corpus: every real alert, one per request as Falco sends it', () => {
  test('the corpus has 87 alerts', () => {
    expect(CORPUS_LINES).toHaveLength(87);
  });

  CORPUS_LINES.forEach((text, index) => {
    const n = index + 1;
    test(`line ${n} reads back with the right fields`, async ({ request }) => {
      const alert = JSON.parse(text) as CorpusAlert;
      const id = await ingestLine(request, text);
      const { event, text: responseText } = await detail(request, id);

      expect(event.id).toBe(id);
      expect(event.raw, 'raw must be the line byte for byte').toBe(text);
      expect(event.rule).toBe(alert.rule);
      const priority = canonicalPriority(alert.priority);
      expect({ priority: event.priority, priorityRank: event.priorityRank }).toEqual({
        priority: priority.name,
        priorityRank: priority.rank,
      });
      expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
      expect(event.time).toBe(canonicalTime(alert.time));
      expect(timeToNs(event.time)).toBe(timeToNs(alert.time));
      expect(event.timeNs).toBe(timeToNs(alert.time).toString());
      expect(event.source).toBe(alert.source ?? null);
      expect(event.hostname).toBe(alert.hostname ?? null);
      expect(event.output).toBe(alert.output ?? null);
      expect(event.uuid).toBe(alert.uuid ?? null);
      expect(event.tags).toEqual(alert.tags ?? []);
      expect(event.internal).toBe(INTERNAL_LINES.includes(n));

      const expected = expectedContainer(alert);
      expect({
        containerId: event.containerId,
        containerName: event.containerName,
        imageRepository: event.imageRepository,
        imageTag: event.imageTag,
        k8sNamespace: event.k8sNamespace,
        k8sPod: event.k8sPod,
      }).toEqual(expected);
      const user = fieldText(alert.output_fields ?? {}, 'user.name', 'ka.user.name');
      if (user !== null) expect(event.userName).toBe(user);

      // output_fields compared value by value with numbers kept exact on both sides.
      const sent = parseLossless(text) as { output_fields?: unknown };
      const received = parseLossless(responseText) as { output_fields?: unknown };
      expect(received.output_fields).toEqual(sent.output_fields ?? Object.create(null));
      // And every integer beyond 2^53 appears in the response text digit for digit.
      for (const [key, value] of Object.entries(alert.output_fields ?? {})) {
        if (typeof value !== 'number' || Number.isSafeInteger(value) || !Number.isInteger(value)) continue;
        const literal = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(-?\\d+)[,}]`).exec(
          text,
        );
        expect(literal, `${key} in the line`).not.toBeNull();
        expect(responseText).toContain(`${JSON.stringify(key)}:${literal![1]}`);
      }
    });
  });
});

test.describe('corpus: concrete lines', () => {
  test('line 16 keeps evt.time digit for digit and has the ancestry cat ← sudo ← sudo ← zsh ← kitty', async ({
    request,
  }) => {
    const { event, text } = await detail(request, await ingestLine(request, line(16)));
    expect(text).toContain('"evt.time":1746622234502309868');
    expect(event.time).toBe('2025-05-07T12:50:34.502309868Z');
    expect(event.ancestry.map((level) => level.level)).toEqual([0, 1, 2, 3, 4]);
    expect(event.ancestry.map((level) => level.name)).toEqual(['cat', 'sudo', 'sudo', 'zsh', 'kitty']);
    expect(event.ancestry[0]).toMatchObject({
      level: 0,
      name: 'cat',
      exepath: '/usr/bin/cat',
      cmdline: 'cat /etc/shadow',
    });
    expect({ containerId: event.containerId, containerName: event.containerName }).toEqual({
      containerId: 'host',
      containerName: 'host',
    });
    expect(event.userName).toBe('root');
  });

  test('proc.exe_ino.mtime survives digit for digit', async ({ request }) => {
    const n = CORPUS_LINES.findIndex((text) => text.includes('"proc.exe_ino.mtime":4283228891363909261')) + 1;
    expect(n, 'a corpus line carries proc.exe_ino.mtime').toBeGreaterThan(0);
    const id = await ingestLine(request, line(n));
    const { text } = await detail(request, id);
    expect(text).toContain('"proc.exe_ino.mtime":4283228891363909261');
    const listed = await request.get(
      `${base}/api/events?${new URLSearchParams({ hostname: (JSON.parse(line(n)) as CorpusAlert).hostname ?? '', limit: '1000' })}`,
    );
    expect(await listed.text()).toContain('"proc.exe_ino.mtime":4283228891363909261');
  });

  test('line 37 keeps its null ancestors 4–7 as unknown levels', async ({ request }) => {
    const { event } = await detail(request, await ingestLine(request, line(37)));
    expect(event.ancestry.map((level) => level.level)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(event.ancestry.map((level) => level.name)).toEqual([
      'sh',
      'httpd',
      'event-generator',
      'containerd-shim',
      null,
      null,
      null,
      null,
    ]);
    expect(event.ancestry[0]).toMatchObject({ exepath: '/bin/busybox', cmdline: 'sh -c ls > /dev/null' });
    expect(event.ancestry[1]).toMatchObject({
      exepath: '/bin/event-generator',
      cmdline: 'httpd --loglevel info run ^helper.RunShell$',
    });
    for (const level of event.ancestry.slice(4))
      expect(level).toEqual({ level: level.level, name: null, exepath: null, cmdline: null, pid: null });
  });

  test('line 10 (re-serialised, 8 fractional digits) → container f29b261f8831 in namespace default', async ({
    request,
  }) => {
    const { event } = await detail(request, await ingestLine(request, line(10)));
    expect(event.time).toBe('2021-01-11T23:46:19.823027590Z');
    expect(event.containerId).toBe('f29b261f8831');
    expect(event.k8sNamespace).toBe('default');
    expect(event.imageRepository).toBe('mysql');
    expect(event.source).toBeNull();
    expect(event.hostname).toBeNull();
  });

  test('pre-0.41 alerts whose details exist only in the output text are recovered from it', async ({ request }) => {
    // Line 10 and line 9 with the container/k8s keys removed from output_fields: only the text has them.
    const strip = (text: string, hostname: string) => {
      const alert = JSON.parse(text) as CorpusAlert;
      const fields = { ...alert.output_fields };
      for (const key of Object.keys(fields)) if (/^(container|k8s)\./.test(key)) delete fields[key];
      return { ...alert, hostname, output_fields: fields };
    };
    const host = uniqueTag('corpus-text');
    const ten = await expectIngested(await post(request, `${base}/api/events`, strip(line(10), host)), 1, 0);
    let { event } = await detail(request, ten.ids[0]!);
    expect({
      containerId: event.containerId,
      k8sNamespace: event.k8sNamespace,
      imageRepository: event.imageRepository,
    }).toEqual({
      containerId: 'f29b261f8831',
      k8sNamespace: 'default',
      imageRepository: 'mysql',
    });
    expect(event.k8sPod).toBe('alpine');

    const nine = await expectIngested(await post(request, `${base}/api/events`, strip(line(9), host)), 1, 0);
    ({ event } = await detail(request, nine.ids[0]!));
    expect({
      containerId: event.containerId,
      k8sNamespace: event.k8sNamespace,
      k8sPod: event.k8sPod,
      imageRepository: event.imageRepository,
      imageTag: event.imageTag,
    }).toEqual({
      containerId: '12fc4de5ccc3',
      k8sNamespace: 'openfaas-fn',
      k8sPod: 'falco-pod-delete-7dc9f5fbb8-gbfk7',
      imageRepository: 'devopps/falco-pod-delete',
      imageTag: 'latest',
    });
  });

  test('internal events (lines 15, 24, 78, 87) are marked internal and kept out of the default list', async ({
    request,
  }) => {
    for (const n of INTERNAL_LINES) {
      const id = await ingestLine(request, line(n));
      const { event } = await detail(request, id);
      expect(event.internal, `line ${n}`).toBe(true);
      const rule = encodeURIComponent(event.rule);
      const excluded = (await (await request.get(`${base}/api/events?rule=${rule}&limit=1000`)).json()) as {
        events: { id: number }[];
      };
      expect(
        excluded.events.map((e) => e.id),
        `line ${n} in the default list`,
      ).not.toContain(id);
      const only = (await (await request.get(`${base}/api/events?rule=${rule}&internal=only&limit=1000`)).json()) as {
        events: { id: number }[];
      };
      expect(
        only.events.map((e) => e.id),
        `line ${n} with internal=only`,
      ).toContain(id);
    }
    // A detection is not internal.
    const { event } = await detail(request, await ingestLine(request, line(16)));
    expect(event.internal).toBe(false);
  });

  test('re-posting the whole corpus returns duplicates with the same ids and stores nothing', async ({ request }) => {
    test.setTimeout(60_000);
    const first: number[] = [];
    for (const text of CORPUS_LINES) first.push(await ingestLine(request, text));
    expect(new Set(first).size).toBe(87);
    const before = await eventCount(request, base);
    for (const [index, text] of CORPUS_LINES.entries()) {
      const report = await expectIngested(await post(request, `${base}/api/events`, text), 0, 1);
      expect(report.ids, `line ${index + 1}`).toEqual([first[index]]);
    }
    expect(await eventCount(request, base)).toBe(before);
  });
});
