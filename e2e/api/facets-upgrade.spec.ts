// A store whose alerts were indexed before facet tokens (migration 0015): the server gives them
// their tokens in the background, reading each one's words again from its stored JSON, and free
// text with other filters selects the same alerts as before, from the word index alone.
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectIngested, listAllIds } from '../fixtures/api-helpers';
import { OwnServer } from '../fixtures/own-server';

const RULES = ['Terminal shell in container', 'Read sensitive file untrusted'] as const;

test('old alerts get their facet tokens in the background, and searches with filters answer the same', async ({
  request,
}) => {
  test.setTimeout(90_000);
  const server = new OwnServer('facets-upgrade', 80);
  const host = uniqueTag('facets');
  const alerts = Array.from({ length: 600 }, (_, i) =>
    makeAlert({
      rule: RULES[i % 2],
      hostname: `${host}-${i % 3}`,
      output: `${i % 4 === 0 ? 'other' : 'common'} alert ${i}`,
      fields: { 'user.name': i % 5 === 0 ? 'www-data' : 'root' },
    }),
  );
  await server.start();
  const report = await expectIngested(await post(request, `${server.url}/api/events`, alerts), 600, 0);
  const wanted = (keep: (i: number) => boolean) => report.ids.filter((_, i) => keep(i)).sort((a, b) => b - a);
  const searches: { params: Record<string, string>; ids: number[] }[] = [
    { params: { q: 'common', rule: RULES[0] }, ids: wanted((i) => i % 4 !== 0 && i % 2 === 0) },
    {
      params: { q: 'common', rule: RULES[1], user: 'www-data' },
      ids: wanted((i) => i % 4 !== 0 && i % 2 === 1 && i % 5 === 0),
    },
    { params: { q: 'other', hostname: `${host}-1` }, ids: wanted((i) => i % 4 === 0 && i % 3 === 1) },
  ];
  const found = async () =>
    Promise.all(
      searches.map(async ({ params }) =>
        (await listAllIds(request, server.url, { ...params, limit: 100 })).sort((a, b) => b - a),
      ),
    );
  expect(await found()).toEqual(searches.map((s) => s.ids));
  await server.stop();

  // As Perch before migration 0015 left them: each alert's output alone indexed, without tokens.
  const db = new Database(server.dbFile);
  const reindex = db.transaction(() => {
    report.ids.forEach((id, i) => {
      db.prepare('DELETE FROM event_search WHERE rowid = ?').run(id);
      db.prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)').run(
        id,
        String(alerts[i]!.output).toLowerCase(),
      );
    });
    db.prepare('UPDATE event_facets SET from_id = (SELECT max(id) + 1 FROM events), ready = 0').run();
  });
  reindex();
  db.close();

  await server.start();
  const store = new Database(server.dbFile, { readonly: true });
  try {
    const state = () =>
      store.prepare('SELECT (SELECT count(*) FROM events WHERE id < from_id) AS left, ready FROM event_facets').get();
    await expect.poll(state, { timeout: 30_000, intervals: [200] }).toEqual({ left: 0, ready: 1 });
    expect(await found()).toEqual(searches.map((s) => s.ids));
    // The words were indexed again from the stored JSON: the host was not in the output alone.
    expect((await listAllIds(request, server.url, { q: `${host}-2`, limit: 100 })).length).toBe(200);
  } finally {
    store.close();
    await server.stop();
  }
});
