// POST /api/exceptions/preview: what an exception would have silenced among its rule's stored
// alerts, counted on the alerts as received, and the groups of those it matches.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested } from '../fixtures/api-helpers';
import { ACCESS, SERVERS } from '../servers';

const base = SERVERS.main.url;

interface Preview {
  rule: string;
  from: string | null;
  to: string | null;
  matched: number;
  cannotTell: number;
  unmatched: number;
  groups: { key: string; matched: number }[];
  truncated: boolean;
}

const previewOf = (request: APIRequestContext, body: unknown, url = base, headers = {}) =>
  request.post(`${url}/api/exceptions/preview`, {
    data: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    headers: { 'content-type': 'application/json', ...headers },
  });

test('counts what an exception silences, what it leaves and what cannot tell, and names the groups', async ({
  request,
}) => {
  const rule = uniqueTag('Shell rule');
  const shell = (name: string, image: string | null, cmdline: string) =>
    makeAlert({
      rule,
      defaultFields: false,
      fields: {
        'proc.name': name,
        'proc.pname': 'runc',
        'proc.cmdline': cmdline,
        'container.image.repository': image,
      },
    });
  const hostile = `sh -c "echo 'ΣΟΦΟΣ' \\n ${'x'.repeat(2_000)}"`;
  const alerts = [
    shell('bash', 'docker.io/library/nginx', 'bash -i'),
    shell('bash', 'docker.io/library/nginx', 'bash -l'),
    shell('sh', 'docker.io/library/nginx', hostile),
    shell('bash', 'ghcr.io/acme/tools', 'bash'),
    shell('bash', null, 'bash'),
  ];
  await expectIngested(await post(request, `${base}/api/events`, alerts), 5, 0);

  const response = await previewOf(request, {
    rule,
    fields: ['proc.name', 'container.image.repository'],
    comps: ['=', 'startswith'],
    values: [
      ['bash', 'docker.io/'],
      ['sh', 'nothing'],
    ],
  });
  expect(response.status()).toBe(200);
  const answer = (await response.json()) as Preview;
  expect(answer).toMatchObject({ rule, matched: 2, cannotTell: 1, unmatched: 2, truncated: false });
  expect(answer.groups).toEqual([{ key: expect.stringMatching(/^ric-[0-9a-f]{16}$/), matched: 2 }]);
  expect(Date.parse(answer.to!) - Date.parse(answer.from!)).toBe(30 * 86_400_000);

  // The hostile command line, by each operator that cuts inside it.
  for (const [comp, value] of [
    ['=', hostile],
    ['startswith', 'sh -c "echo \'ΣΟΦ'],
    ['endswith', 'xxx"'],
    ['contains', "'ΣΟΦΟΣ' \\n x"],
    ['pmatch', ["sh -c \"echo 'ΣΟΦΟΣ' \\n x"]],
  ] as const) {
    const body = { rule, fields: ['proc.cmdline'], comps: [comp], values: [[value]] };
    const result = (await (await previewOf(request, body)).json()) as Preview;
    expect(result.matched, comp).toBe(comp === 'pmatch' ? 0 : 1);
  }

  // A rule with no stored alert: nothing to silence.
  const none = (await (
    await previewOf(request, { rule: uniqueTag('Never fired'), fields: ['proc.name'], values: [['bash']] })
  ).json()) as Preview;
  expect(none).toMatchObject({ matched: 0, cannotTell: 0, unmatched: 0, groups: [] });
});

test('a bad entry is a 422 naming it, a bad range a 400, bad JSON the rules file’s 400', async ({ request }) => {
  const rule = uniqueTag('Checked rule');
  await expectIngested(await post(request, `${base}/api/events`, makeAlert({ rule })), 1, 0);
  const issue = async (body: object) => {
    const envelope = await expectError(await previewOf(request, { rule, ...body }), 422, 'invalid_exception');
    return envelope.error.issues?.map(({ index, field, code }) => ({ index, field, code }));
  };
  expect(await issue({ fields: ['ka.verb'], values: [['get']] })).toEqual([
    { index: 0, field: 'fields', code: 'unknown_field' },
  ]);
  expect(await issue({ fields: ['proc.pid'], comps: ['startswith'], values: [['1']] })).toEqual([
    { index: 0, field: 'comps.0', code: 'operator_mismatch' },
  ]);
  expect(await issue({ fields: ['proc.name', 'user.name'], values: [['bash']] })).toEqual([
    { index: 0, field: 'values.0', code: 'length_mismatch' },
  ]);
  await expectError(
    await previewOf(request, { rule, fields: ['proc.name'], values: [['cat']], from: 'last week' }),
    400,
    'invalid_query',
  );
  await expectError(await previewOf(request, '{"rule": '), 400, 'invalid_json');
});

test('with login on, a preview needs a viewer, and a view token may ask', async ({ request }) => {
  const access = SERVERS.access.url;
  const body = { rule: 'Any', fields: ['proc.name'], values: [['bash']] };
  await expectError(await previewOf(request, body, access), 401, 'unauthorized');
  const response = await previewOf(request, body, access, { authorization: `Bearer ${ACCESS.viewTokens.wall}` });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ rule: 'Any', matched: 0 });
});
