// Triage status of groups: POST /api/groups/status, GET /api/groups/:key/history and the triage log
// export, against the real servers: who changes what, reopening, refusals, and the log's formats.
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { createHash } from 'node:crypto';
import { parseCsv } from '../../lib/testing/csv-reader';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested, falcoTimeAgo } from '../fixtures/api-helpers';
import { ACCESS, INGEST_TOKEN, SERVERS } from '../servers';

const base = SERVERS.main.url;
const access = SERVERS.access.url;
const EVIL = 'http://evil.example';
/** makeAlert's default ancestry, oldest first. */
const CHAIN = ['tmux', 'bash', 'sudo', 'sudo', 'cat'];

/** The key of an alert's group as lib/db/group-atoms.ts hashes it, computed from Falco's fields here. */
function groupKey(code: string, parts: unknown[]): string {
  return `${code}-${createHash('sha256')
    .update(JSON.stringify([code, ...parts]))
    .digest('hex')
    .slice(0, 16)}`;
}
/** The default grouping (rule, image else host, chain) of an alert makeAlert built on `host`. */
const ricKey = (rule: string, host = 'e2e-host') => groupKey('ric', [rule, ['host', host], CHAIN]);

interface Status {
  status: string;
  setAt?: string;
  setBy?: string;
  note?: string | null;
  newSince?: number;
  reopened?: boolean;
}
interface History {
  key: string;
  grouping: string;
  fields: Record<string, unknown>;
  status: Status;
  history: { status: string; at: string; by: string; note: string | null; exception: string | null }[];
}

function setStatus(
  request: APIRequestContext,
  body: unknown,
  { url = base, headers = {} as Record<string, string> } = {},
): Promise<APIResponse> {
  return request.post(`${url}/api/groups/status`, {
    data: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

async function history(request: APIRequestContext, key: string, url = base, headers = {}): Promise<History> {
  const response = await request.get(`${url}/api/groups/${key}/history`, { headers });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as History;
}

/** A new group on `url`: one alert of a rule no other test uses; answers its key. */
async function newGroup(request: APIRequestContext, prefix: string, url = base, headers = {}): Promise<string> {
  const rule = uniqueTag(prefix);
  await expectIngested(
    await post(request, `${url}/api/events`, makeAlert({ rule, time: falcoTimeAgo(120) }), headers),
    1,
    0,
  );
  return ricKey(rule);
}

test('a status change is answered with the group’s status and kept in its history, newest first', async ({
  request,
}) => {
  const rule = uniqueTag('Triage history');
  await expectIngested(await post(request, `${base}/api/events`, makeAlert({ rule, time: falcoTimeAgo(120) })), 1, 0);
  const key = ricKey(rule);
  const before = await history(request, key);
  expect(before).toEqual({
    key,
    grouping: 'rule,image,chain',
    fields: { rule, host: 'e2e-host', chain: CHAIN },
    status: { status: 'open' },
    history: [],
  });

  const started = Date.now();
  const answer = await setStatus(request, { groups: [key], status: 'acknowledged', note: 'on it' });
  expect(answer.status()).toBe(200);
  const { groups } = (await answer.json()) as { groups: { key: string; status: Status }[] };
  expect(groups).toEqual([
    {
      key,
      status: {
        status: 'acknowledged',
        setAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/),
        setBy: 'anonymous',
        note: 'on it',
        newSince: 0,
        reopened: false,
      },
    },
  ]);
  expect(Date.parse(groups[0]!.status.setAt!)).toBeGreaterThanOrEqual(started - 1_000);

  const exception = `- rule: "${rule}"\n  exceptions:\n    - name: perch_proc_name\n      fields: [proc.name]\n      values: [[cat]]\n  override:\n    exceptions: append\n`;
  expect(
    (await setStatus(request, { groups: [key], status: 'benign', note: 'backup job reads it', exception })).status(),
  ).toBe(200);
  const after = await history(request, key);
  expect(after.status).toMatchObject({ status: 'benign', setBy: 'anonymous', note: 'backup job reads it' });
  expect(after.history.map(({ status, by, note, exception }) => ({ status, by, note, exception }))).toEqual([
    { status: 'benign', by: 'anonymous', note: 'backup job reads it', exception },
    { status: 'acknowledged', by: 'anonymous', note: 'on it', exception: null },
  ]);
  expect(after.history[0]!.at >= after.history[1]!.at).toBe(true);
});

test('a resolved group that fires again reopens; an acknowledged one stays acknowledged and counts what is new', async ({
  request,
}) => {
  const resolvedRule = uniqueTag('Triage reopen');
  const ackRule = uniqueTag('Triage ack');
  await expectIngested(
    await post(request, `${base}/api/events`, [
      makeAlert({ rule: resolvedRule, time: falcoTimeAgo(120) }),
      makeAlert({ rule: ackRule, time: falcoTimeAgo(120) }),
    ]),
    2,
    0,
  );
  const resolved = ricKey(resolvedRule);
  const acknowledged = ricKey(ackRule);
  expect((await setStatus(request, { groups: [resolved], status: 'resolved' })).status()).toBe(200);
  expect((await setStatus(request, { groups: [acknowledged], status: 'acknowledged' })).status()).toBe(200);
  expect((await history(request, resolved)).status).toMatchObject({ status: 'resolved', newSince: 0, reopened: false });

  // Alert times are compared with the time of the change: these are timed after it.
  const later = (ms: number) => new Date(Date.now() + 1_000 + ms).toISOString();
  await expectIngested(
    await post(request, `${base}/api/events`, [
      makeAlert({ rule: resolvedRule, time: later(1) }),
      makeAlert({ rule: resolvedRule, time: later(2) }),
      makeAlert({ rule: ackRule, time: later(3) }),
      // Older than the change: not new since.
      makeAlert({ rule: ackRule, time: falcoTimeAgo(600) }),
    ]),
    4,
    0,
  );
  const reopened = await history(request, resolved);
  expect(reopened.status).toMatchObject({ status: 'open', setBy: 'anonymous', newSince: 2, reopened: true });
  expect(reopened.history.map((entry) => entry.status)).toEqual(['resolved']);
  expect((await history(request, acknowledged)).status).toMatchObject({
    status: 'acknowledged',
    newSince: 1,
    reopened: false,
  });
});

test.describe('who changes a status', () => {
  const ingest = { authorization: `Bearer ${INGEST_TOKEN}` };

  test('a view token reads the history and the log but changes nothing (403)', async ({ request }) => {
    const key = await newGroup(request, 'Triage view token', access, ingest);
    const viewToken = { authorization: `Bearer ${ACCESS.viewTokens.wall}` };
    await expectError(
      await setStatus(request, { groups: [key], status: 'benign' }, { url: access, headers: viewToken }),
      403,
      'forbidden',
    );
    expect((await history(request, key, access, viewToken)).history).toEqual([]);
    expect((await request.get(`${access}/api/groups/triage-log`, { headers: viewToken })).status()).toBe(200);
    // Nobody at all, with login on: as for any read.
    await expectError(
      await setStatus(request, { groups: [key], status: 'benign' }, { url: access }),
      401,
      'unauthorized',
    );
    await expectError(await request.get(`${access}/api/groups/${key}/history`), 401, 'unauthorized');
  });

  test('the logged-in user and the single-sign-on user are named in the history', async ({ request }) => {
    const key = await newGroup(request, 'Triage who', access, ingest);
    const login = await request.post(`${access}/api/auth/login`, {
      data: { user: ACCESS.user, password: ACCESS.password },
    });
    expect(login.status()).toBe(200);
    const cookie = /perch_session=[^;]+/.exec(login.headers()['set-cookie'] ?? '')![0];
    expect(
      (
        await setStatus(request, { groups: [key], status: 'acknowledged' }, { url: access, headers: { cookie } })
      ).status(),
    ).toBe(200);
    const sso = { [ACCESS.userHeader]: 'sso-alice' };
    expect(
      (await setStatus(request, { groups: [key], status: 'resolved' }, { url: access, headers: sso })).status(),
    ).toBe(200);
    expect((await history(request, key, access, { cookie })).history.map(({ status, by }) => ({ status, by }))).toEqual(
      [
        { status: 'resolved', by: 'sso-alice' },
        { status: 'acknowledged', by: ACCESS.user },
      ],
    );
  });
});

test('a change from another site’s page, or sent as a form, is refused and changes nothing', async ({ request }) => {
  const key = await newGroup(request, 'Triage cross-site');
  const body = { groups: [key], status: 'benign', note: 'from elsewhere' };
  const own = new URL(base).origin;
  const browsers: Record<string, string>[] = [
    { origin: EVIL },
    { 'sec-fetch-site': 'cross-site', origin: EVIL },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'null' },
  ];
  for (const headers of browsers) {
    const envelope = await expectError(await setStatus(request, body, { headers }), 403, 'cross_site_request');
    expect(envelope.error.message, JSON.stringify(headers)).toContain('another site');
  }
  // What a form can post without a preflight: a form's types, or JSON sent as text.
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
    const envelope = await expectError(
      await request.post(`${base}/api/groups/status`, {
        data: type.startsWith('application/x-www') ? `groups=${key}&status=benign` : JSON.stringify(body),
        headers: { 'content-type': type },
      }),
      403,
      'cross_site_request',
    );
    expect(envelope.error.message).toContain('application/json');
  }
  expect((await history(request, key)).history).toEqual([]);
  // Perch's own page: same origin.
  const answer = await setStatus(request, body, { headers: { origin: own, 'sec-fetch-site': 'same-origin' } });
  expect(answer.status()).toBe(200);
  expect((await history(request, key)).history).toHaveLength(1);
});

test('a malformed change is a 4xx naming the field, and a key of no group a 404 naming its index', async ({
  request,
}) => {
  const key = await newGroup(request, 'Triage bad input');
  const issuesOf = async (body: unknown) =>
    (await expectError(await setStatus(request, body), 422, 'invalid_triage')).error.issues?.map(
      ({ index, field, code }) => ({ index, field, code }),
    );

  expect(await issuesOf({ groups: [key, 'ric-123', 7], status: 'closed' })).toEqual([
    { index: 1, field: 'groups', code: 'invalid_key' },
    { index: 2, field: 'groups', code: 'invalid_type' },
    { index: undefined, field: 'status', code: 'invalid_value' },
  ]);
  expect(await issuesOf({ groups: [], status: 'open' })).toEqual([
    { index: undefined, field: 'groups', code: 'too_small' },
  ]);
  expect(await issuesOf({ groups: Array(501).fill(key), status: 'open' })).toEqual([
    { index: undefined, field: 'groups', code: 'too_big' },
  ]);
  expect(await issuesOf({ groups: [key], status: 'open', note: 'x'.repeat(2_001) })).toEqual([
    { index: undefined, field: 'note', code: 'too_big' },
  ]);
  expect(await issuesOf({ groups: [key], status: 'resolved', exception: '- rule: x' })).toEqual([
    { index: undefined, field: 'exception', code: 'not_benign' },
  ]);
  expect(await issuesOf({ groups: [key], status: 'benign', exception: 'rule: [' })).toEqual([
    { index: undefined, field: 'exception', code: 'invalid_yaml' },
  ]);
  expect(await issuesOf({ groups: [key], status: 'open', notes: 'typo' })).toEqual([
    { index: undefined, field: 'notes', code: 'unrecognized_keys' },
  ]);
  await expectError(await setStatus(request, '{"groups": ['), 400, 'invalid_json');
  await expectError(await setStatus(request, ''), 400, 'empty_body');

  const nowhere = 'ric-0000000000000000';
  const unknown = await expectError(
    await setStatus(request, { groups: [key, nowhere], status: 'open' }),
    404,
    'unknown_group',
  );
  expect(unknown.error.message).toContain(nowhere);
  expect(unknown.error.issues).toEqual([expect.objectContaining({ index: 1, field: 'groups', code: 'unknown_group' })]);
  // All or nothing: the known key was not changed either.
  expect((await history(request, key)).history).toEqual([]);

  await expectError(await request.get(`${base}/api/groups/${nowhere}/history`), 404, 'unknown_group');
  const malformed = await expectError(await request.get(`${base}/api/groups/not-a-key/history`), 404, 'unknown_group');
  expect(malformed.error.message).toContain('is not a group key');
});

test('the triage log exports every change as CSV (safe in a spreadsheet) and as NDJSON', async ({ request }) => {
  const rule = uniqueTag('=Triage log');
  await expectIngested(await post(request, `${base}/api/events`, makeAlert({ rule, time: falcoTimeAgo(120) })), 1, 0);
  const key = ricKey(rule);
  const ruleKey = groupKey('r', [rule]);
  expect(
    (await setStatus(request, { groups: [key, ruleKey], status: 'acknowledged', note: '=HYPERLINK("x")' })).status(),
  ).toBe(200);
  expect((await setStatus(request, { groups: [key], status: 'resolved', note: 'fixed, "really"' })).status()).toBe(200);

  const csv = await request.get(`${base}/api/groups/triage-log?format=csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers()['content-disposition']).toMatch(/attachment; filename="perch-triage-log-.+\.csv"/);
  const [header, ...rows] = parseCsv(await csv.text());
  expect(header).toEqual([
    'id',
    'at',
    'key',
    'grouping',
    'status',
    'by',
    'note',
    'rule',
    'image',
    'host',
    'chain',
    'user',
    'namespace',
    'exception',
  ]);
  const column = (row: string[], name: string) => row[header!.indexOf(name)];
  const ours = rows.filter((row) => [key, ruleKey].includes(column(row, 'key')!));
  expect(
    ours.map((row) => [column(row, 'key'), column(row, 'grouping'), column(row, 'status'), column(row, 'note')]),
  ).toEqual([
    [key, 'rule,image,chain', 'acknowledged', `'=HYPERLINK("x")`],
    [ruleKey, 'rule', 'acknowledged', `'=HYPERLINK("x")`],
    [key, 'rule,image,chain', 'resolved', 'fixed, "really"'],
  ]);
  expect(ours.map((row) => column(row, 'rule'))).toEqual([`'${rule}`, `'${rule}`, `'${rule}`]);
  expect(column(ours[0]!, 'chain')).toBe(CHAIN.join(' > '));
  expect(column(ours[1]!, 'chain')).toBe('');

  // The default format is CSV.
  expect((await request.get(`${base}/api/groups/triage-log`)).headers()['content-type']).toBe(
    'text/csv; charset=utf-8',
  );

  const ndjson = await request.get(`${base}/api/groups/triage-log?format=ndjson`);
  expect(ndjson.status()).toBe(200);
  expect(ndjson.headers()['content-type']).toBe('application/x-ndjson; charset=utf-8');
  const text = await ndjson.text();
  expect(text.endsWith('\n')).toBe(true);
  const lines = text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const ids = lines.map((line) => line.id as number);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(lines.filter((line) => line.key === key)).toEqual([
    {
      id: expect.any(Number),
      at: expect.stringMatching(/Z$/),
      key,
      grouping: 'rule,image,chain',
      status: 'acknowledged',
      by: 'anonymous',
      note: '=HYPERLINK("x")',
      exception: null,
      fields: { rule, host: 'e2e-host', chain: CHAIN },
    },
    expect.objectContaining({ key, status: 'resolved', note: 'fixed, "really"' }),
  ]);
  expect(lines.find((line) => line.key === ruleKey)?.fields).toEqual({ rule });

  await expectError(await request.get(`${base}/api/groups/triage-log?format=xml`), 400, 'invalid_query');
});

test('a group whose alerts retention has deleted keeps its fields and history, and can still be changed', async ({
  request,
}) => {
  const retention = SERVERS.retention.url;
  const rule = uniqueTag('Triage retention');
  await expectIngested(
    await post(request, `${retention}/api/events`, makeAlert({ rule, time: falcoTimeAgo(300) })),
    1,
    0,
  );
  const key = ricKey(rule);
  expect(
    (await setStatus(request, { groups: [key], status: 'benign', note: 'expected' }, { url: retention })).status(),
  ).toBe(200);
  // The retention server keeps the newest 20 alerts: 25 newer ones push this group's out.
  const hostname = uniqueTag('retention-filler');
  const fillers = Array.from({ length: 25 }, (_, i) => makeAlert({ hostname, time: falcoTimeAgo(60 - i) }));
  await expectIngested(await post(request, `${retention}/api/events`, fillers), 25, 0);
  await expect
    .poll(
      async () =>
        (
          (await (await request.get(`${retention}/api/events?rule=${encodeURIComponent(rule)}&from=all`)).json()) as {
            events: unknown[];
          }
        ).events.length,
      { timeout: 10_000, intervals: [250] },
    )
    .toBe(0);

  const kept = await history(request, key, retention);
  expect(kept.fields).toEqual({ rule, host: 'e2e-host', chain: CHAIN });
  expect(kept.status).toMatchObject({ status: 'benign', note: 'expected', newSince: 0 });
  expect((await setStatus(request, { groups: [key], status: 'open' }, { url: retention })).status()).toBe(200);
  expect((await history(request, key, retention)).history.map((entry) => entry.status)).toEqual(['open', 'benign']);
});
