// POST /api/exceptions/rules-file: a Falco rules file from exception entries, each checked against
// the fields of its rule's source (from the stored alerts) before any YAML is written.
import { expect, test } from '@playwright/test';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested } from '../fixtures/api-helpers';
import { ACCESS, SERVERS } from '../servers';

const base = SERVERS.main.url;
const ajv = new Ajv({ strict: false });
ajv.addMetaSchema(draft06);
const validate = ajv.compile(
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'falco', 'rule_json_schema.json'), 'utf8')),
);

const rulesFile = (request: import('@playwright/test').APIRequestContext, body: unknown, url = base, headers = {}) =>
  request.post(`${url}/api/exceptions/rules-file`, {
    data: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    headers: { 'content-type': 'application/json', ...headers },
  });

test('a stored rule’s exceptions come back as a Falco rules file that its schema accepts', async ({ request }) => {
  const rule = uniqueTag('Audit rule');
  await expectIngested(await post(request, `${base}/api/events`, makeAlert({ rule, source: 'k8s_audit' })), 1, 0);
  const hostile = 'kube: #admin\n"on"';
  const response = await rulesFile(request, {
    exceptions: [
      {
        rule,
        fields: ['ka.user.name', 'ka.target.namespace'],
        comps: ['=', 'in'],
        values: [[hostile, ['ci', 'on']]],
        matched: 3,
      },
    ],
  });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/yaml; charset=utf-8');
  expect(response.headers()['content-disposition']).toContain('perch-exceptions.yaml');
  const text = await response.text();
  const items = parse(text) as Record<string, unknown>[];
  expect(validate(items), JSON.stringify(validate.errors)).toBe(true);
  expect(items).toEqual([
    {
      rule,
      exceptions: [
        {
          name: 'perch_ka_user_name_ka_target_namespace',
          fields: ['ka.user.name', 'ka.target.namespace'],
          comps: ['=', 'in'],
          values: [['"kube: #admin\\n\\"on\\""', ['ci', 'on']]],
        },
      ],
      override: { exceptions: 'append' },
    },
  ]);
  expect(text).toMatch(/^# Falco exceptions written by Perch for anonymous at /);
  expect(text).toContain('matched 3 stored alert(s)');
});

test('a field of another source, or a rule Perch has not stored, is a 422 naming the entry', async ({ request }) => {
  const rule = uniqueTag('Shell rule');
  await expectIngested(await post(request, `${base}/api/events`, makeAlert({ rule })), 1, 0);
  const envelope = await expectError(
    await rulesFile(request, {
      exceptions: [
        { rule, fields: ['proc.name'], values: [['bash']] },
        { rule, fields: ['ka.verb'], values: [['get']] },
        { rule: uniqueTag('Never stored'), fields: ['proc.name'], values: [['bash']] },
        { rule, fields: ['proc.pid'], comps: ['pmatch'], values: [[['1']]] },
      ],
    }),
    422,
    'invalid_exception',
  );
  expect(envelope.error.issues?.map(({ index, field, code }) => ({ index, field, code }))).toEqual([
    { index: 1, field: 'fields', code: 'unknown_field' },
    { index: 2, field: 'source', code: 'unknown_source' },
    { index: 3, field: 'comps.0', code: 'operator_mismatch' },
  ]);
  await expectError(await rulesFile(request, '{"exceptions": ['), 400, 'invalid_json');
});

test('with login on, the rules file needs a viewer and names who asked for it', async ({ request }) => {
  const access = SERVERS.access.url;
  const body = { exceptions: [{ rule: 'Any', source: 'syscall', fields: ['proc.name'], values: [['bash']] }] };
  await expectError(await rulesFile(request, body, access), 401, 'unauthorized');
  const response = await rulesFile(request, body, access, { authorization: `Bearer ${ACCESS.viewTokens.wall}` });
  expect(response.status()).toBe(200);
  expect(await response.text()).toMatch(/^# Falco exceptions written by Perch for wall at /);
});
