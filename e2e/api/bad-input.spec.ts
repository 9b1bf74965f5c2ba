// Bad input gets a 4xx with the error envelope and a precise code, stores nothing, and never a 5xx.
import { expect, test, type APIRequestContext } from '@playwright/test';
import http from 'node:http';
import { eventCount, makeAlert, uniqueTag } from '../fixtures/alerts';
import {
  expectEnvelopeShape,
  expectError,
  expectIngested,
  listAllIds,
  sendRaw,
  type Issue,
} from '../fixtures/api-helpers';
import { metric, scrape } from '../fixtures/metrics';
import { INGEST_TOKEN, SERVERS } from '../servers';

const base = SERVERS.main.url;
const ingestUrl = `${base}/api/events`;

/** A valid alert with a test-unique hostname, as an object to spoil. */
const alert = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...makeAlert({ hostname: uniqueTag('bad') }),
  ...overrides,
});
const without = (key: string): Record<string, unknown> => {
  const copy = alert();
  delete copy[key];
  return copy;
};

interface BadBody {
  name: string;
  body: string;
  status: number;
  code: string;
  /** Each entry must match one issue (a subset of its fields). */
  issues?: Partial<Issue>[];
}

const BAD_BODIES: BadBody[] = [
  { name: 'empty body', body: '', status: 400, code: 'empty_body' },
  { name: 'whitespace only', body: ' \r\n\t\n', status: 400, code: 'empty_body' },
  {
    name: 'invalid JSON',
    body: '{"rule": "x", ',
    status: 400,
    code: 'invalid_json',
    issues: [{ code: 'invalid_json' }],
  },
  { name: 'truncated JSON', body: JSON.stringify(alert()).slice(0, 50), status: 400, code: 'invalid_json' },
  { name: 'not JSON at all', body: 'hello falco', status: 400, code: 'invalid_json' },
  { name: 'a number', body: '42', status: 422, code: 'invalid_alert', issues: [{ code: 'not_an_object' }] },
  { name: 'a string', body: '"x"', status: 422, code: 'invalid_alert', issues: [{ code: 'not_an_object' }] },
  { name: 'null', body: 'null', status: 422, code: 'invalid_alert', issues: [{ code: 'not_an_object' }] },
  { name: 'true', body: 'true', status: 422, code: 'invalid_alert', issues: [{ code: 'not_an_object' }] },
  {
    name: 'an empty object',
    body: '{}',
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'rule' }, { field: 'priority' }, { field: 'time' }],
  },
  {
    name: 'missing rule',
    body: JSON.stringify(without('rule')),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'rule', code: 'missing_field' }],
  },
  {
    name: 'missing priority',
    body: JSON.stringify(without('priority')),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'priority', code: 'missing_field' }],
  },
  {
    name: 'missing time',
    body: JSON.stringify(without('time')),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time', code: 'missing_field' }],
  },
  {
    name: 'empty rule',
    body: JSON.stringify(alert({ rule: '' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'rule' }],
  },
  {
    name: 'unknown priority "Urgent"',
    body: JSON.stringify(alert({ priority: 'Urgent' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'priority' }],
  },
  {
    name: 'time "yesterday"',
    body: JSON.stringify(alert({ time: 'yesterday' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time' }],
  },
  {
    name: 'time 2023-02-30 (no such day)',
    body: JSON.stringify(alert({ time: '2023-02-30T00:00:00Z' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time' }],
  },
  {
    name: 'time without a zone',
    body: JSON.stringify(alert({ time: '2023-02-03T10:00:00.123456789' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time' }],
  },
  {
    name: 'time hour 24',
    body: JSON.stringify(alert({ time: '2023-02-03T24:00:00Z' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time' }],
  },
  {
    name: 'time offset +25:00 (not RFC 3339)',
    body: JSON.stringify(alert({ time: '2023-02-03T10:00:00+25:00' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time' }],
  },
  {
    name: 'time before 1970',
    body: JSON.stringify(alert({ time: '1969-12-31T23:59:59Z' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time' }],
  },
  {
    name: 'time as a number',
    body: JSON.stringify(alert({ time: 1700000000 })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'time' }],
  },
  {
    name: 'rule: 5',
    body: JSON.stringify(alert({ rule: 5 })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'rule' }],
  },
  {
    name: 'priority: 4',
    body: JSON.stringify(alert({ priority: 4 })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'priority' }],
  },
  {
    name: 'tags: "x"',
    body: JSON.stringify(alert({ tags: 'x' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'tags' }],
  },
  { name: 'tags: [1]', body: JSON.stringify(alert({ tags: [1] })), status: 422, code: 'invalid_alert' },
  {
    name: 'output_fields: [1]',
    body: JSON.stringify(alert({ output_fields: [1] })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'output_fields' }],
  },
  {
    name: 'output_fields: "x"',
    body: JSON.stringify(alert({ output_fields: 'x' })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'output_fields' }],
  },
  {
    name: 'hostname: {}',
    body: JSON.stringify(alert({ hostname: {} })),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'hostname' }],
  },
  {
    name: 'a batch with one bad entry',
    body: JSON.stringify([alert(), alert({ priority: 'Urgent' }), alert()]),
    status: 422,
    code: 'invalid_alert',
    issues: [{ index: 1, field: 'priority' }],
  },
  {
    name: 'a batch of non-objects',
    body: '[1, "two"]',
    status: 422,
    code: 'invalid_alert',
    issues: [{ index: 0 }, { index: 1 }],
  },
  { name: 'an empty batch', body: '[]', status: 400, code: 'empty_body' },
  {
    name: 'NDJSON with one bad line',
    body: [alert(), without('rule'), alert()].map((a) => JSON.stringify(a)).join('\n'),
    status: 422,
    code: 'invalid_alert',
    issues: [{ line: 2, field: 'rule' }],
  },
  {
    name: 'NDJSON with one line that is not JSON',
    body: [JSON.stringify(alert()), '{"rule": "cut off', JSON.stringify(alert())].join('\n'),
    status: 400,
    code: 'invalid_json',
    issues: [{ line: 2, code: 'invalid_json' }],
  },
  {
    name: 'NDJSON whose first line is cut off (a tailed log)',
    body: [
      '"priority":"Warning","rule":"Terminal shell in container"}',
      JSON.stringify(alert()),
      JSON.stringify(alert()),
    ].join('\n'),
    status: 400,
    code: 'invalid_json',
    issues: [{ line: 1, code: 'invalid_json' }],
  },
  {
    name: 'webui envelope around a bad alert',
    body: JSON.stringify({ event: alert({ priority: 'Urgent' }), outputs: ['WebUI'] }),
    status: 422,
    code: 'invalid_alert',
    issues: [{ field: 'priority' }],
  },
];

/** POSTs with Transfer-Encoding: chunked (no Content-Length), as a streaming client would; resolves the status. */
function postChunked(url: string, chunks: string[], headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server may answer and stop reading before the last chunk: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function expectIssues(actual: Issue[] | undefined, expected: Partial<Issue>[]) {
  expect(actual, 'issues').toBeDefined();
  for (const want of expected)
    expect(actual, `an issue like ${JSON.stringify(want)}`).toContainEqual(expect.objectContaining(want));
}

test.describe('bad ingest bodies: status, error code, nothing stored', () => {
  for (const bad of BAD_BODIES) {
    test(`${bad.name} → ${bad.status} ${bad.code}`, async ({ request }) => {
      const before = await eventCount(request, base);
      const response = await sendRaw(request, ingestUrl, bad.body, {
        'content-type': 'application/json',
        'user-agent': 'falcosecurity/falco',
      });
      const body = await expectError(response, bad.status, bad.code);
      if (bad.issues) expectIssues(body.error.issues, bad.issues);
      expect(await eventCount(request, base), 'nothing stored').toBe(before);
    });
  }

  test('an issue tells a wrong type from a missing field', async ({ request }) => {
    const wrongTypes: [string, Record<string, unknown>, string][] = [
      ['rule', { rule: 5 }, 'string'],
      ['time', { time: 1700000000 }, 'string'],
      ['priority', { priority: 4 }, 'string'],
      ['tags', { tags: 'x' }, 'array'],
      ['output_fields', { output_fields: [1] }, 'record|object'],
      ['hostname', { hostname: {} }, 'string'],
    ];
    for (const [field, overrides, expected] of wrongTypes) {
      const body = await expectError(
        await sendRaw(request, ingestUrl, JSON.stringify(alert(overrides))),
        422,
        'invalid_alert',
      );
      const issue = body.error.issues?.find((i) => i.field === field);
      expect.soft(issue?.code, `${field}: ${JSON.stringify(overrides[field])} → issue code`).toBe('wrong_type');
      expect.soft(issue?.message, `${field}: ${JSON.stringify(overrides[field])} → message`).not.toMatch(/required/i);
      expect
        .soft(issue?.message, `${field}: ${JSON.stringify(overrides[field])} → message`)
        .toMatch(new RegExp(expected, 'i'));
    }
    const missing = await expectError(
      await sendRaw(request, ingestUrl, JSON.stringify(without('rule'))),
      422,
      'invalid_alert',
    );
    expect(missing.error.issues?.find((i) => i.field === 'rule')?.code).toBe('missing_field');
  });
});

test.describe('?partial=1 stores the valid entries and lists the rejected ones', () => {
  async function partial(request: APIRequestContext, body: string) {
    const before = await eventCount(request, base);
    const response = await sendRaw(request, `${ingestUrl}?partial=1`, body);
    return { before, response };
  }

  test('a JSON array with one bad entry', async ({ request }) => {
    const hostname = uniqueTag('partial-array');
    const body = JSON.stringify([
      makeAlert({ hostname }),
      { ...makeAlert({ hostname }), time: 'yesterday' },
      makeAlert({ hostname }),
      7,
    ]);
    const { before, response } = await partial(request, body);
    const report = await expectIngested(response, 2, 0);
    expectIssues(report.rejected, [
      { index: 1, field: 'time' },
      { index: 3, code: 'not_an_object' },
    ]);
    expect(report.rejected?.some((issue) => issue.index === 0 || issue.index === 2)).toBe(false);
    expect(await eventCount(request, base)).toBe(before + 2);
    expect((await listAllIds(request, base, { hostname })).sort()).toEqual([...report.ids].sort());
  });

  test('NDJSON with a bad line and a line that is not JSON', async ({ request }) => {
    const hostname = uniqueTag('partial-ndjson');
    const body = [
      JSON.stringify(makeAlert({ hostname })),
      JSON.stringify({ ...makeAlert({ hostname }), priority: 'Urgent' }),
      JSON.stringify(makeAlert({ hostname })),
      '{"rule": "cut',
      JSON.stringify(makeAlert({ hostname })),
    ].join('\n');
    const { before, response } = await partial(request, body);
    const report = await expectIngested(response, 3, 0);
    expectIssues(report.rejected, [
      { line: 2, field: 'priority' },
      { line: 4, code: 'invalid_json' },
    ]);
    expect(report.rejected).toHaveLength(2);
    expect(await eventCount(request, base)).toBe(before + 3);
    expect(await listAllIds(request, base, { hostname })).toHaveLength(3);
  });

  test('NDJSON whose first line is cut off: the other lines are stored', async ({ request }) => {
    const hostname = uniqueTag('partial-first');
    const body = [
      'put","priority":"Warning","rule":"x"}',
      JSON.stringify(makeAlert({ hostname })),
      JSON.stringify(makeAlert({ hostname })),
    ].join('\n');
    const { before, response } = await partial(request, body);
    const report = await expectIngested(response, 2, 0);
    expectIssues(report.rejected, [{ line: 1, code: 'invalid_json' }]);
    expect(await eventCount(request, base)).toBe(before + 2);
  });

  test('partial with nothing valid is still an error', async ({ request }) => {
    const { before, response } = await partial(request, JSON.stringify([{ rule: 'x' }, 5]));
    const body = await expectError(response, 422, 'invalid_alert');
    expectIssues(body.error.issues, [{ index: 0 }, { index: 1 }]);
    expect(await eventCount(request, base)).toBe(before);
  });
});

test.describe('a large NDJSON batch, written while the worker thread prepares it', () => {
  // The count of the entries the ingest worker prepared, and of those of bodies written as they were
  // prepared (lib/ingest/write-while-preparing.ts): every line of such a body, none of another.
  const workerEntries = async (request: APIRequestContext) =>
    metric(await scrape(request, base), 'perch_ingest_worker_entries_total');
  const streamedEntries = async (request: APIRequestContext) =>
    metric(await scrape(request, base), 'perch_ingest_streamed_entries_total');

  test('a bad line near the end → 400 naming it, nothing stored; the same batch without it is stored whole, in line order', async ({
    request,
  }) => {
    test.setTimeout(60_000);
    // The worker starts with the server's first large body and takes part once it has loaded.
    const warmUp = uniqueTag('worker-warm-up');
    await expect
      .poll(
        async () => {
          const before = await workerEntries(request);
          const body = Array.from({ length: 100 }, () => JSON.stringify(makeAlert({ hostname: warmUp }))).join('\n');
          expect((await sendRaw(request, ingestUrl, body)).status()).toBe(200);
          return (await workerEntries(request)) - before;
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);

    const hostname = uniqueTag('streamed');
    const lines = Array.from({ length: 300 }, () => JSON.stringify(makeAlert({ hostname })));
    // Line 281 comes in the body's last chunk (of 25, 50, 100, 100, 25 lines): the chunks before it
    // are written before it is found.
    const spoiled = lines.map((line, i) => (i === 280 ? '{"rule": "cut' : line));
    const before = await eventCount(request, base);
    const entriesBefore = await streamedEntries(request);
    const refused = await expectError(await sendRaw(request, ingestUrl, spoiled.join('\n')), 400, 'invalid_json');
    expect(refused.error.issues?.map((issue) => [issue.line, issue.code])).toEqual([[281, 'invalid_json']]);
    expect(await eventCount(request, base), 'nothing stored').toBe(before);
    expect(await listAllIds(request, base, { hostname })).toEqual([]);
    expect((await streamedEntries(request)) - entriesBefore, 'every line was written as it was prepared').toBe(300);

    const report = await expectIngested(await sendRaw(request, ingestUrl, lines.join('\n')), 300, 0);
    expect(report.ids).toEqual([...report.ids].sort((a, b) => a - b));
    expect((await listAllIds(request, base, { hostname })).sort((a, b) => a - b)).toEqual(report.ids);
    expect(await eventCount(request, base)).toBe(before + 300);
    expect((await streamedEntries(request)) - entriesBefore).toBe(600);
    // Sent again: each line is the alert already stored.
    const again = await expectIngested(await sendRaw(request, ingestUrl, lines.join('\n')), 0, 300);
    expect(again.ids).toEqual(report.ids);
  });
});

test.describe('limits and methods', () => {
  const secured = SERVERS.secured.url;
  const auth = { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' };

  test('a body over PERCH_MAX_BODY (64 KB) → 413 payload_too_large, nothing stored', async ({ request }) => {
    const before = await eventCount(request, secured);
    const big = JSON.stringify(makeAlert({ hostname: uniqueTag('big'), output: 'x'.repeat(70 * 1024) }));
    const response = await sendRaw(request, `${secured}/api/events`, big, auth);
    await expectError(response, 413, 'payload_too_large');
    expect(await eventCount(request, secured)).toBe(before);
  });

  test('a body over the limit without a content-length (chunked) → 413', async ({ request }) => {
    const before = await eventCount(request, secured);
    const lines = Array.from({ length: 400 }, () => JSON.stringify(makeAlert({ hostname: uniqueTag('chunked') })));
    expect(lines.join('\n').length).toBeGreaterThan(64 * 1024);
    const status = await postChunked(
      `${secured}/api/events`,
      lines.map((line) => `${line}\n`),
      auth,
    );
    expect(status).toBe(413);
    expect(await eventCount(request, secured)).toBe(before);
  });

  test('a body just under the limit is accepted', async ({ request }) => {
    const hostname = uniqueTag('under');
    const text = JSON.stringify(makeAlert({ hostname, output: 'y'.repeat(60 * 1024) }));
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
    await expectIngested(await sendRaw(request, `${secured}/api/events`, text, auth), 1, 0);
  });

  for (const method of ['DELETE', 'PATCH'] as const) {
    test(`${method} /api/events → 405 method_not_allowed with Allow`, async ({ request }) => {
      const before = await eventCount(request, base);
      const response = await request.fetch(ingestUrl, {
        method,
        data: JSON.stringify(makeAlert()),
        headers: { 'content-type': 'application/json' },
      });
      await expectError(response, 405, 'method_not_allowed');
      const allow = (response.headers().allow ?? '').split(/,\s*/);
      expect(allow).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT']));
      expect(allow).not.toContain(method);
      expect(await eventCount(request, base)).toBe(before);
    });
  }

  test('POST /api/events/:id and GET /api/v1/events/add → 405 with Allow', async ({ request }) => {
    const onDetail = await request.post(`${base}/api/events/1`, { data: '{}' });
    await expectError(onDetail, 405, 'method_not_allowed');
    expect(onDetail.headers().allow).toBe('GET');
    const onAdd = await request.get(`${base}/api/v1/events/add`);
    await expectError(onAdd, 405, 'method_not_allowed');
    expect(onAdd.headers().allow?.split(/,\s*/)).toEqual(expect.arrayContaining(['POST', 'PUT']));
  });
});

test.describe('bad read requests', () => {
  const BAD_QUERIES: [string, string][] = [
    ['limit=0', 'invalid_query'],
    ['limit=5000', 'invalid_query'],
    ['limit=-1', 'invalid_query'],
    ['limit=abc', 'invalid_query'],
    ['limit=2.5', 'invalid_query'],
    ['minPriority=Urgent', 'invalid_query'],
    ['priority=Urgent', 'invalid_query'],
    ['priority=Warning&priority=Sev1', 'invalid_query'],
    ['from=garbage', 'invalid_query'],
    ['to=garbage', 'invalid_query'],
    ['from=2023-02-30T00:00:00Z', 'invalid_query'],
    ['internal=maybe', 'invalid_query'],
    [`q=${'a'.repeat(501)}`, 'invalid_query'],
    // Free text searches words: punctuation alone has none.
    ['q=%25', 'invalid_query'],
    ['q=_*', 'invalid_query'],
    ['cursor=garbage', 'invalid_cursor'],
    [`cursor=${Buffer.from('12:abc').toString('base64url')}`, 'invalid_cursor'],
    // A cursor in the right shape whose time does not fit a 64-bit nanosecond count.
    [`cursor=${Buffer.from('99999999999999999999:1').toString('base64url')}`, 'invalid_cursor'],
  ];

  for (const [query, code] of BAD_QUERIES) {
    test(`GET /api/events?${query.slice(0, 60)} → 400 ${code}`, async ({ request }) => {
      const response = await request.get(`${base}/api/events?${query}`);
      const body = await expectError(response, 400, code);
      if (code === 'invalid_query') {
        const name = query.split('=')[0]!;
        expect(body.error.issues?.map((issue) => issue.field)).toContain(name);
      }
    });
  }

  // Time bounds far outside what the store can hold: an empty or clamped answer or a 400, never a 500.
  test('time bounds outside the storable range are never a 5xx', async ({ request }) => {
    for (const query of [
      'from=999999w',
      'to=999999w',
      'from=0001-01-01',
      'from=1000-01-01T00:00:00',
      'to=9999-12-31',
    ]) {
      for (const path of ['/api/events', '/api/stats/priorities']) {
        const response = await request.get(`${base}${path}?${query}`);
        const text = await response.text();
        expect
          .soft([200, 400], `GET ${path}?${query} → ${response.status()} ${text.slice(0, 120)}`)
          .toContain(response.status());
        if (response.status() === 400) {
          const body = JSON.parse(text) as unknown;
          expectEnvelopeShape(body);
          expect.soft(body.error.code).toBe('invalid_query');
        }
      }
    }
  });

  test('GET /api/events/999999999 → 404 not_found', async ({ request }) => {
    await expectError(await request.get(`${base}/api/events/999999999`), 404, 'not_found');
  });

  for (const id of ['abc', '0', '-1', '1e3', '1.0', '99999999999999999999', '%20']) {
    test(`GET /api/events/${id} → 404 not_found`, async ({ request }) => {
      await expectError(await request.get(`${base}/api/events/${id}`), 404, 'not_found');
    });
  }
});

test.describe('hostile but well-formed alerts never cause a 5xx', () => {
  test('a time past what a 64-bit nanosecond count holds (year 9999) → 422, not 500', async ({ request }) => {
    const before = await eventCount(request, base);
    const response = await sendRaw(
      request,
      ingestUrl,
      JSON.stringify(alert({ time: '9999-12-31T23:59:59.999999999Z' })),
    );
    const body = await expectError(response, 422, 'invalid_alert');
    expect(body.error.issues?.map((issue) => issue.field)).toContain('time');
    expect(await eventCount(request, base)).toBe(before);
  });

  test('__proto__ and constructor keys in output_fields are stored as ordinary keys', async ({ request }) => {
    const hostname = uniqueTag('proto');
    const text = `{"hostname":"${hostname}","output":"o","output_fields":{"__proto__":{"polluted":true},"constructor":"c","proc.name":"sh"},"priority":"Warning","rule":"r","time":"2024-01-01T00:00:00.000000001Z"}`;
    const report = await expectIngested(await sendRaw(request, ingestUrl, text), 1, 0);
    const detail = await request.get(`${base}/api/events/${report.ids[0]}`);
    expect(detail.status()).toBe(200);
    const body = await detail.text();
    expect(body).toContain('"__proto__":{"polluted":true}');
    expect(body).toContain('"constructor":"c"');
  });

  test('deeply nested output_fields: either refused with a 4xx or served back, never a 5xx', async ({ request }) => {
    // An old time keeps this alert off the first page of any newest-first listing.
    const hostname = uniqueTag('deep');
    const depth = 20_000;
    const text = `{"hostname":"${hostname}","output":"deep","output_fields":{"x":${'['.repeat(depth)}${']'.repeat(depth)}},"priority":"Warning","rule":"deep nesting","time":"1971-01-01T00:00:00.000000001Z"}`;
    const response = await sendRaw(request, ingestUrl, text);
    expect(response.status(), await response.text()).toBeLessThan(500);
    if (response.status() !== 200) return;
    const [id] = ((await response.json()) as { ids: number[] }).ids;
    const detail = await request.get(`${base}/api/events/${id}`);
    expect(detail.status(), `GET /api/events/${id}: ${(await detail.text()).slice(0, 200)}`).toBe(200);
    const list = await request.get(`${base}/api/events?hostname=${hostname}`);
    expect(list.status(), `GET /api/events?hostname=…: ${(await list.text()).slice(0, 200)}`).toBe(200);
  });

  test('invalid UTF-8 in a string (Falco before 0.44) is stored, not refused', async ({ request }) => {
    const hostname = uniqueTag('utf8');
    const head = Buffer.from(`{"hostname":"${hostname}","output":"file=`);
    const tail = Buffer.from(`","priority":"Notice","rule":"r","time":"2024-01-01T00:00:00.000000002Z"}`);
    const response = await sendRaw(request, ingestUrl, Buffer.concat([head, Buffer.from([0xff, 0xfe, 0x41]), tail]));
    const report = await expectIngested(response, 1, 0);
    const detail = (await (await request.get(`${base}/api/events/${report.ids[0]}`)).json()) as { output: string };
    expect(detail.output).toBe('file=\uFFFD\uFFFDA');
  });
});
