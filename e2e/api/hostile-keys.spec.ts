// Keys and values such as `__proto__` and `constructor` are ordinary data: stored, listed, counted
// and shown exactly, and they change nothing about how later alerts are read or checked.
import { expect, test } from '@playwright/test';
import { nextFalcoTime, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested, listEvents, parseLossless, sendRaw } from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;

// Written by hand so the keys arrive exactly as a hostile sender would put them on the wire.
function hostileAlert(hostname: string): string {
  return (
    `{"hostname":"${hostname}","output":"hostile keys","priority":"Critical","rule":"constructor","source":"syscall",` +
    `"tags":["__proto__","constructor","toString"],"time":"${nextFalcoTime()}",` +
    `"output_fields":{"__proto__":{"polluted":true,"rule":"injected"},"constructor":"c","prototype":{"x":1},"toString":7,` +
    `"hasOwnProperty":null,"__defineGetter__":"g","container.id":"__proto__","container.name":"constructor","user.name":"__proto__",` +
    `"proc.name":"__proto__","proc.pname":"constructor","proc.aname[2]":"toString"}}`
  );
}

const EXPECTED_FIELDS = [
  ['__proto__', { polluted: true, rule: 'injected' }],
  ['constructor', 'c'],
  ['prototype', { x: 1 }],
  ['toString', 7],
  ['hasOwnProperty', null],
  ['__defineGetter__', 'g'],
] as const;

/** A parsed JSON value with plain numbers again, for comparing small literals. */
const plain = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_, v: unknown) =>
      v && typeof v === 'object' && 'value' in v && Object.keys(v).length === 1
        ? Number((v as { value: string }).value)
        : v,
    ),
  );

test('__proto__, constructor and friends in output_fields come back as ordinary keys, in the detail and the list', async ({
  request,
}) => {
  const hostname = uniqueTag('hostile');
  const text = hostileAlert(hostname);
  const { ids } = await expectIngested(await sendRaw(request, `${base}/api/events`, text), 1, 0);

  const detailText = await (await request.get(`${base}/api/events/${ids[0]}`)).text();
  const detail = parseLossless(detailText) as Record<string, unknown>;
  expect(detail.raw).toBe(text);
  const fields = detail.output_fields as Record<string, unknown>;
  for (const [key, value] of EXPECTED_FIELDS) {
    expect(Object.hasOwn(fields, key), key).toBe(true);
    expect(plain(fields[key]), key).toEqual(value);
  }
  // The typed columns take the values as text, whatever they spell.
  expect(detail).toMatchObject({
    rule: 'constructor',
    containerId: '__proto__',
    containerName: 'constructor',
    userName: '__proto__',
    procName: '__proto__',
    parentName: 'constructor',
  });
  expect(plain(detail.tags)).toEqual(['__proto__', 'constructor', 'toString']);
  expect((detail.ancestry as { name: string }[]).map((level) => level.name)).toEqual([
    '__proto__',
    'constructor',
    'toString',
  ]);

  const listed = parseLossless(
    await (await request.get(`${base}/api/events?hostname=${hostname}&from=all`)).text(),
  ) as { events: Record<string, unknown>[] };
  expect(listed.events).toHaveLength(1);
  const listedFields = listed.events[0]!.output_fields as Record<string, unknown>;
  for (const [key, value] of EXPECTED_FIELDS) expect(plain(listedFields[key]), key).toEqual(value);
});

test('such values filter, group and count like any other', async ({ request }) => {
  const hostname = uniqueTag('hostile-stats');
  await expectIngested(await sendRaw(request, `${base}/api/events`, hostileAlert(hostname)), 1, 0);
  const scope = `hostname=${hostname}&from=all`;

  expect((await listEvents(request, base, { hostname, from: 'all', tag: '__proto__' })).events).toHaveLength(1);
  expect((await listEvents(request, base, { hostname, from: 'all', container: '__proto__' })).events).toHaveLength(1);
  expect((await listEvents(request, base, { hostname, from: 'all', rule: 'constructor' })).events).toHaveLength(1);

  const top = async (dimension: string) => {
    const response = await request.get(`${base}/api/stats/top?dimension=${dimension}&${scope}`);
    expect(response.status()).toBe(200);
    return ((await response.json()) as { values: { value: string; count: number }[] }).values.map((v) => [
      v.value,
      v.count,
    ]);
  };
  expect(await top('tag')).toEqual(
    expect.arrayContaining([
      ['__proto__', 1],
      ['constructor', 1],
      ['toString', 1],
    ]),
  );
  expect(await top('user')).toEqual([['__proto__', 1]]);
  expect(await top('rule')).toEqual([['constructor', 1]]);

  for (const stack of ['rule', 'container']) {
    const response = await request.get(`${base}/api/stats/timeline?stack=${stack}&${scope}`);
    expect(response.status()).toBe(200);
    const timeline = parseLossless(await response.text()) as {
      series: string[];
      buckets: { counts: Record<string, unknown> }[];
      labels?: Record<string, unknown>;
    };
    const name = stack === 'rule' ? 'constructor' : '__proto__';
    expect(timeline.series).toContain(name);
    const total = timeline.buckets.reduce((sum, bucket) => sum + Number(plain(bucket.counts[name]) ?? 0), 0);
    expect(total, `${stack} ${name}`).toBe(1);
    // The container's name labels its series: an id of `__proto__` is a key like any other.
    // biome-ignore lint/complexity/useLiteralKeys lint/suspicious/noProto: the key is the hostile data under test.
    if (stack === 'container') expect(timeline.labels?.['__proto__']).toBe('constructor');
  }
  for (const [path, shown] of [
    ['/api/rules', '"rule":"constructor"'],
    ['/api/containers', '"containerId":"__proto__"'],
    ['/api/process-tree', '"name":"__proto__"'],
  ]) {
    const response = await request.get(`${base}${path}?${scope}`);
    expect(response.status(), path).toBe(200);
    expect(await response.text(), path).toContain(shown);
  }
});

test('a hostile alert changes nothing for the next one: a rule-less alert is still refused', async ({ request }) => {
  await expectIngested(await sendRaw(request, `${base}/api/events`, hostileAlert(uniqueTag('hostile-first'))), 1, 0);
  // Were Object.prototype polluted with `rule`, this alert would pass validation.
  const ruleless = `{"hostname":"${uniqueTag('hostile-next')}","output":"o","priority":"Warning","time":"${nextFalcoTime()}"}`;
  const body = await expectError(await sendRaw(request, `${base}/api/events`, ruleless), 422, 'invalid_alert');
  expect(body.error.issues).toContainEqual(expect.objectContaining({ field: 'rule', code: 'missing_field' }));
  // Nor does a rule only under __proto__ count as the alert's own.
  const hidden = `{"__proto__":{"rule":"hidden"},"output":"o","priority":"Warning","time":"${nextFalcoTime()}"}`;
  await expectError(await sendRaw(request, `${base}/api/events`, hidden), 422, 'invalid_alert');
});
