// GET /api/groups against a real server: groups sum to the alerts posted, every sort pages by
// cursor without loss, groupings and filters select what they say, and hostile values come back
// exactly as sent.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested } from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;

interface Group {
  key: string;
  fields: { rule: string; image?: string | null; host?: string | null; chain?: string[]; user?: string | null };
  worstPriority: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  containers: number;
  hosts: number;
  trend: number[];
  new: boolean;
  status: { status: string };
}

const groupsOf = async (request: APIRequestContext, query: string) => {
  const response = await request.get(`${base}/api/groups?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { groups: Group[]; nextCursor: string | null; groupBy: string };
};

const inContainer = (image: string, id: string, chain: string[]) => ({
  'container.id': id,
  'container.name': 'web',
  'container.image.repository': image,
  'proc.name': chain.at(-1),
  'proc.pname': chain.at(-2) ?? null,
  'proc.aname[2]': chain.at(-3) ?? null,
  'proc.aname[3]': null,
  'proc.aname[4]': null,
  'proc.pid': Math.floor(Math.random() * 100_000),
});

/** Seven groups on a host of the test's own, of known counts, priorities and times. */
async function seed(request: APIRequestContext) {
  const tag = uniqueTag('groups-api');
  const host = `${tag}-host`;
  const rules = { shell: `${tag} shell`, read: `${tag} read`, odd: `${tag} odd` };
  const image = `registry.example/${tag}/web`;
  const alerts = [
    // Pids differ, names do not: one group of four, in two containers.
    ...[1, 2, 3, 4].map((i) =>
      makeAlert({
        rule: rules.shell,
        priority: 'Notice',
        hostname: host,
        fields: inContainer(image, i < 3 ? 'c0000000001' : 'c0000000002', ['containerd-shim', 'bash', 'sh']),
      }),
    ),
    makeAlert({
      rule: rules.shell,
      priority: 'Critical',
      hostname: host,
      fields: inContainer(image, 'c0000000001', ['bash', 'curl']),
    }),
    // Host processes: the host is the place.
    ...[1, 2, 3].map(() => makeAlert({ rule: rules.read, priority: 'Warning', hostname: host })),
    makeAlert({ rule: rules.read, priority: 'Error', hostname: host, fields: { 'user.name': 'postgres' } }),
  ];
  await expectIngested(await post(request, `${base}/api/events`, alerts), alerts.length, 0);
  return { tag, host, rules, image, total: alerts.length, scope: `from=1h&hostname=${encodeURIComponent(host)}` };
}

test('groups fold repeats, sum to the alerts posted, and sort as asked', async ({ request }) => {
  const { rules, image, total, scope } = await seed(request);
  const { groups, groupBy } = await groupsOf(request, scope);
  expect(groupBy).toBe('rule,image,chain');
  expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(total);
  // Most severe first by default, then most alerts.
  expect(groups.map((g) => [g.fields.rule, g.worstPriority, g.count])).toEqual([
    [rules.shell, 'Critical', 1],
    [rules.read, 'Error', 4],
    [rules.shell, 'Notice', 4],
  ]);
  const shell = groups.find((g) => g.count === 4 && g.fields.rule === rules.shell)!;
  expect(shell.fields).toEqual({ rule: rules.shell, image, chain: ['containerd-shim', 'bash', 'sh'] });
  expect(shell).toMatchObject({ containers: 2, hosts: 1, new: true, status: { status: 'open' } });
  expect(shell.trend.reduce((a, b) => a + b, 0)).toBe(4);

  const byCount = (await groupsOf(request, `${scope}&sort=count`)).groups;
  expect(byCount.map((g) => g.count)).toEqual([4, 4, 1]);
  const byLast = (await groupsOf(request, `${scope}&sort=lastSeen`)).groups;
  expect(byLast.map((g) => g.lastSeen)).toEqual(
    byLast
      .map((g) => g.lastSeen)
      .sort()
      .reverse(),
  );
  const byFirst = (await groupsOf(request, `${scope}&sort=firstSeen`)).groups;
  expect(byFirst.map((g) => g.firstSeen)).toEqual(
    byFirst
      .map((g) => g.firstSeen)
      .sort()
      .reverse(),
  );

  // Other groupings fold the same alerts differently.
  expect((await groupsOf(request, `${scope}&groupBy=rule`)).groups.map((g) => [g.fields, g.count])).toEqual([
    [{ rule: rules.shell }, 5],
    [{ rule: rules.read }, 4],
  ]);
  const byUser = (await groupsOf(request, `${scope}&groupBy=rule,chain,user`)).groups;
  expect(byUser.filter((g) => g.fields.rule === rules.read).map((g) => [g.fields.user, g.count])).toEqual([
    ['postgres', 1],
    ['root', 3],
  ]);
});

test('every sort pages by cursor without losing or repeating a group; filters narrow them', async ({ request }) => {
  const { rules, host, scope } = await seed(request);
  for (const sort of ['priority', 'count', 'lastSeen', 'firstSeen']) {
    const whole = (await groupsOf(request, `${scope}&sort=${sort}&groupBy=rule,chain,user`)).groups.map((g) => g.key);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await groupsOf(
        request,
        `${scope}&sort=${sort}&groupBy=rule,chain,user&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      paged.push(...page.groups.map((g) => g.key));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged, sort).toEqual(whole);
    expect(whole.length, sort).toBe(4);
  }
  const first = await groupsOf(request, `${scope}&sort=count&limit=1`);
  await expectError(
    await request.get(`${base}/api/groups?${scope}&sort=lastSeen&cursor=${encodeURIComponent(first.nextCursor!)}`),
    400,
    'invalid_cursor',
  );

  const onlyRead = (await groupsOf(request, `${scope}&rule=${encodeURIComponent(rules.read)}`)).groups;
  expect(onlyRead.map((g) => [g.fields.host, g.count])).toEqual([[host, 4]]);
  const critical = (await groupsOf(request, `${scope}&minPriority=Error`)).groups;
  expect(critical.map((g) => g.count)).toEqual([1, 1]);

  // A group's key is a filter of its alerts; a status selects groups here, alerts elsewhere.
  const [group] = onlyRead;
  const listed = await (await request.get(`${base}/api/events?${scope}&group=${group!.key}&limit=100`)).json();
  expect(listed.events).toHaveLength(4);
  const changed = await request.post(`${base}/api/groups/status`, {
    data: { groups: [group!.key], status: 'acknowledged' },
  });
  expect(changed.status()).toBe(200);
  expect((await groupsOf(request, `${scope}&status=acknowledged`)).groups.map((g) => g.key)).toEqual([group!.key]);
  expect((await groupsOf(request, `${scope}&status=open`)).groups.map((g) => g.key)).not.toContain(group!.key);
  const openAlerts = await (await request.get(`${base}/api/events?${scope}&status=open&limit=100`)).json();
  expect(openAlerts.events).toHaveLength(5);
});

test('bad grouping, sort, status or key is a 400 naming the parameter', async ({ request }) => {
  for (const [query, field] of [
    ['groupBy=image', 'groupBy'],
    ['sort=name', 'sort'],
    ['status=closed', 'status'],
    ['group=ric-XYZ', 'group'],
  ]) {
    const body = await expectError(await request.get(`${base}/api/groups?from=1h&${query}`), 400, 'invalid_query');
    expect(JSON.stringify(body.error), query).toContain(field);
  }
});

test('hostile values in the key fields come back exactly as sent', async ({ request }) => {
  const tag = uniqueTag('groups-hostile');
  const host = `${tag}-host`;
  const rule = `${tag} "quoted": #not-a-comment\nline two <b>ü 🦅`;
  const cmdline = `sh -c '${'x'.repeat(10_240)}'`;
  const chain = ['on', '1.0', "pa'rent: #", 'ca\tt\u2028'];
  const fields = {
    'container.id': 'c00000000009',
    'container.image.repository': `registry.example/${tag}/wéb:"*"`,
    'proc.name': chain[3],
    'proc.pname': chain[2],
    'proc.aname[2]': chain[1],
    'proc.aname[3]': chain[0],
    'proc.aname[4]': null,
    'proc.cmdline': cmdline,
  };
  await expectIngested(await post(request, `${base}/api/events`, [makeAlert({ rule, hostname: host, fields })]), 1, 0);
  const { groups } = await groupsOf(request, `from=1h&hostname=${encodeURIComponent(host)}`);
  expect(groups).toHaveLength(1);
  expect(groups[0]!.fields).toEqual({ rule, image: fields['container.image.repository'], chain });
});
