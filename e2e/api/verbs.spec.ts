// Every URL answers every verb: the ones it takes as usual, HEAD as GET without a body, OPTIONS
// with 204 and `Allow`, and any other verb with the JSON 405 and `Allow` (docs/decisions/0007).
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { expectError } from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const VERBS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Declared = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Row {
  /** The file's URL pattern (app/ folders, route groups left out), so the table cannot go stale. */
  pattern: string;
  /** The URL asked. */
  url: string;
  allow: Declared[];
  /** An endless answer (SSE): its GET is not read to the end. */
  endless?: boolean;
}

const ROUTES: Row[] = [
  { pattern: '/api/auth/login', url: '/api/auth/login', allow: ['POST'] },
  { pattern: '/api/auth/logout', url: '/api/auth/logout', allow: ['POST'] },
  { pattern: '/api/containers', url: '/api/containers', allow: ['GET'] },
  { pattern: '/api/events/[id]/related', url: '/api/events/1/related', allow: ['GET'] },
  { pattern: '/api/events/[id]', url: '/api/events/1', allow: ['GET'] },
  { pattern: '/api/events/export', url: '/api/events/export', allow: ['GET'] },
  { pattern: '/api/exceptions/rules-file', url: '/api/exceptions/rules-file', allow: ['POST'] },
  { pattern: '/api/exceptions/preview', url: '/api/exceptions/preview', allow: ['POST'] },
  { pattern: '/api/groups', url: '/api/groups', allow: ['GET'] },
  { pattern: '/api/groups/status', url: '/api/groups/status', allow: ['POST'] },
  { pattern: '/api/groups/[key]/history', url: '/api/groups/ric-0000000000000000/history', allow: ['GET'] },
  { pattern: '/api/groups/triage-log', url: '/api/groups/triage-log', allow: ['GET'] },
  { pattern: '/api/events', url: '/api/events', allow: ['GET', 'POST', 'PUT'] },
  { pattern: '/api/health', url: '/api/health', allow: ['GET'] },
  { pattern: '/api/process-tree', url: '/api/process-tree', allow: ['GET'] },
  { pattern: '/api/rules', url: '/api/rules', allow: ['GET'] },
  { pattern: '/api/stats/priorities', url: '/api/stats/priorities', allow: ['GET'] },
  { pattern: '/api/stats/summary', url: '/api/stats/summary', allow: ['GET'] },
  { pattern: '/api/stats/timeline', url: '/api/stats/timeline', allow: ['GET'] },
  { pattern: '/api/stats/top', url: '/api/stats/top?dimension=rule', allow: ['GET'] },
  { pattern: '/api/stream', url: '/api/stream', allow: ['GET'], endless: true },
  { pattern: '/api/v1/events/add', url: '/api/v1/events/add', allow: ['POST', 'PUT'] },
  { pattern: '/metrics', url: '/metrics', allow: ['GET'] },
  // The ingest URLs proxy.ts rewrites: `/` is also the overview page.
  { pattern: '/', url: '/', allow: ['GET', 'POST', 'PUT'] },
  { pattern: '/api/v1', url: '/api/v1', allow: ['POST', 'PUT'] },
  { pattern: '/api/v1/', url: '/api/v1/', allow: ['POST', 'PUT'] },
  { pattern: '/events', url: '/events', allow: ['GET'] },
  { pattern: '/events/[id]', url: '/events/1', allow: ['GET'] },
  { pattern: '/rules', url: '/rules', allow: ['GET'] },
  { pattern: '/rules/[rule]', url: '/rules/x', allow: ['GET'] },
  { pattern: '/containers', url: '/containers', allow: ['GET'] },
  { pattern: '/groups', url: '/groups', allow: ['GET'] },
  { pattern: '/exceptions', url: '/exceptions', allow: ['GET'] },
  { pattern: '/containers/[id]', url: '/containers/x', allow: ['GET'] },
  { pattern: '/health', url: '/health', allow: ['GET'] },
  { pattern: '/setup', url: '/setup', allow: ['GET'] },
  { pattern: '/kiosk', url: '/kiosk', allow: ['GET'] },
  { pattern: '/login', url: '/login', allow: ['GET'] },
];

/** Every app/**\/route.ts and page.tsx as a URL pattern. */
function appPatterns(dir = path.resolve(__dirname, '../../app'), prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const segment = /^\(.*\)$/.test(entry.name) ? '' : `/${entry.name}`;
      found.push(...appPatterns(path.join(dir, entry.name), `${prefix}${segment}`));
    } else if (entry.name === 'route.ts' || entry.name === 'page.tsx') {
      found.push(prefix || '/');
    }
  }
  return found;
}

test('the table names every route and page under app/, and nothing else', () => {
  const patterns = new Set(ROUTES.map((row) => row.pattern));
  expect(
    [...new Set(appPatterns())].filter((pattern) => !patterns.has(pattern)),
    'missing from ROUTES',
  ).toEqual([]);
  const extra = [...patterns].filter((pattern) => !appPatterns().includes(pattern));
  expect(extra.sort(), 'ingest URLs only proxy.ts answers').toEqual(['/api/v1', '/api/v1/']);
});

const bodies: Record<string, string> = { POST: '{}', PUT: '{}', PATCH: '{}', DELETE: '{}' };

for (const row of ROUTES) {
  test(`${row.url}: ${VERBS.join(' ')}`, async ({ request }) => {
    const allow = row.allow.join(', ');
    const send = (method: string) =>
      request.fetch(row.url, {
        method,
        maxRedirects: 0,
        headers: { 'content-type': 'application/json' },
        ...(bodies[method] !== undefined && { data: bodies[method] }),
      });

    const head = await send('HEAD');
    if (row.allow.includes('GET')) {
      expect(head.status(), 'HEAD').not.toBe(405);
      expect((await head.body()).length, 'HEAD has no body').toBe(0);
      if (!row.endless) {
        const get = await send('GET');
        expect(head.status(), 'HEAD answers as GET').toBe(get.status());
        expect(head.headers()['content-type'], 'HEAD has the content type of GET').toBe(get.headers()['content-type']);
      }
    }

    const options = await send('OPTIONS');
    expect(options.status(), 'OPTIONS').toBe(204);
    expect(options.headers().allow, 'OPTIONS Allow').toBe(allow);
    expect((await options.body()).length).toBe(0);

    for (const method of VERBS) {
      if (method === 'OPTIONS' || (method === 'GET' && row.endless)) continue;
      const taken = row.allow.includes(method as Declared) || (method === 'HEAD' && row.allow.includes('GET'));
      const response = method === 'HEAD' ? head : await send(method);
      if (taken) {
        expect(response.status(), method).not.toBe(405);
        continue;
      }
      expect(response.headers().allow, `${method} Allow`).toBe(allow);
      if (method === 'HEAD') expect(response.status(), 'HEAD').toBe(405);
      else await expectError(response, 405, 'method_not_allowed');
    }
  });
}

test('with login on, a wrong verb is a 405 before any access check; reads still need a viewer', async ({ request }) => {
  const access = SERVERS.access.url;
  for (const url of ['/api/rules', '/metrics', '/events', '/api/v1']) {
    const response = await request.fetch(`${access}${url}`, { method: 'PATCH', maxRedirects: 0 });
    await expectError(response, 405, 'method_not_allowed');
  }
  await expectError(await request.get(`${access}/api/rules`), 401, 'unauthorized');
  const head = await request.head(`${access}/api/rules`);
  expect(head.status()).toBe(401);
  expect(head.headers()['www-authenticate']).toMatch(/Bearer/);
  expect((await request.head(`${access}/events`, { maxRedirects: 0 })).status()).toBe(303);
});

test('under a sub-path pages and routes answer verbs the same way', async ({ request }) => {
  const sub = SERVERS.subpath.url;
  for (const [url, allow] of [
    ['/events', 'GET'],
    ['/api/rules', 'GET'],
    ['/', 'GET, POST, PUT'],
  ] as const) {
    const response = await request.fetch(`${sub}${url}`, { method: 'DELETE', maxRedirects: 0 });
    await expectError(response, 405, 'method_not_allowed');
    expect(response.headers().allow).toBe(allow);
  }
});
