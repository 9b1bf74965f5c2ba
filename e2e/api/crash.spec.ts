// SIGKILL in the middle of sustained ingest loses no acknowledged alert: after each kill the store
// passes SQLite's integrity check and holds every alert that got a 2xx, under the id it was given.
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { makeAlert, uniqueTag } from '../fixtures/alerts';
import { OwnServer } from '../fixtures/own-server';

const ROUNDS = 3;
const SINGLE_SENDERS = 6;
const BATCH_SENDERS = 2;
const BATCH_SIZE = 50;

const server = new OwnServer('crash', 31);
test.afterAll(() => server.stop());

interface Round {
  /** uuid → id, for every alert whose request was answered with a 2xx. */
  acknowledged: Map<string, number>;
  /** Answers other than a 2xx (connection errors once the server is killed are not answers). */
  otherStatuses: number[];
  failedRequests: number;
}

/** Posts alerts from several senders until `stop` resolves, recording every acknowledgement. */
async function sendUntil(stop: Promise<void>, tag: string): Promise<Round> {
  const round: Round = { acknowledged: new Map(), otherStatuses: [], failedRequests: 0 };
  let stopped = false;
  void stop.then(() => (stopped = true));
  let counter = 0;
  const url = `${server.url}/api/events`;

  const send = async (uuids: string[], body: string) => {
    try {
      const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const text = await response.text();
      if (!response.ok) {
        round.otherStatuses.push(response.status);
        return;
      }
      const { ids } = JSON.parse(text) as { ids: number[] };
      uuids.forEach((uuid, i) => {
        round.acknowledged.set(uuid, ids[i]!);
      });
    } catch {
      // The connection died with the server: this alert was never acknowledged.
      round.failedRequests++;
    }
  };
  const single = async () => {
    while (!stopped) {
      const uuid = `${tag}-${counter++}`;
      await send([uuid], JSON.stringify(makeAlert({ uuid, hostname: tag })));
    }
  };
  const batch = async () => {
    while (!stopped) {
      const uuids = Array.from({ length: BATCH_SIZE }, () => `${tag}-${counter++}`);
      await send(uuids, uuids.map((uuid) => JSON.stringify(makeAlert({ uuid, hostname: tag }))).join('\n'));
    }
  };
  await Promise.all([
    ...Array.from({ length: SINGLE_SENDERS }, single),
    ...Array.from({ length: BATCH_SENDERS }, batch),
  ]);
  return round;
}

/** Opens the killed server's store directly, as the next start will. */
function inspectStore(file: string) {
  const db = new Database(file);
  try {
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    const ids = new Map(
      (db.prepare('SELECT uuid, id FROM events').all() as { uuid: string; id: number }[]).map((row) => [
        row.uuid,
        row.id,
      ]),
    );
    return { integrity: integrity.map((row) => row.integrity_check), foreignKeys, ids };
  } finally {
    db.close();
  }
}

test('SIGKILL mid-ingest, three times over: every acknowledged alert survives, integrity ok', async ({ request }) => {
  test.setTimeout(180_000);
  const tag = uniqueTag('crash');
  const acknowledged = new Map<string, number>();
  const perRound: string[] = [];

  for (let r = 0; r < ROUNDS; r++) {
    await server.start();
    // Kill at a different moment each round, while every sender has requests in flight.
    const killAfterMs = 1_500 + r * 700;
    const kill = new Promise<void>((resolve) => setTimeout(() => void server.stop().then(resolve), killAfterMs));
    const round = await sendUntil(kill, `${tag}-r${r}`);
    expect(round.otherStatuses, 'only 2xx answers while the server ran').toEqual([]);
    expect(round.acknowledged.size, 'alerts were acknowledged before the kill').toBeGreaterThan(0);
    for (const [uuid, id] of round.acknowledged) acknowledged.set(uuid, id);

    const store = inspectStore(server.dbFile);
    expect(store.integrity).toEqual(['ok']);
    expect(store.foreignKeys).toEqual([]);
    const missing = [...acknowledged].filter(([uuid, id]) => store.ids.get(uuid) !== id);
    expect(missing.slice(0, 10), `${missing.length} acknowledged alert(s) missing or under another id`).toEqual([]);
    perRound.push(
      `round ${r + 1}: killed after ${killAfterMs} ms, ${round.acknowledged.size} acknowledged, ${round.failedRequests} request(s) cut off, ${store.ids.size} in store`,
    );
  }
  test.info().annotations.push({
    type: 'crash',
    description: `${acknowledged.size} acknowledged alerts checked; ${perRound.join('; ')}`,
  });

  // The restarted server serves exactly what the store holds, and takes alerts again.
  await server.start();
  const { ids } = inspectStore(server.dbFile);
  const health = (await (await request.get(`${server.url}/api/health`)).json()) as { events: number };
  expect(health.events).toBe(ids.size);
  const sample = [...acknowledged].filter((_, i) => i % Math.ceil(acknowledged.size / 20) === 0);
  for (const [uuid, id] of sample) {
    const detail = await request.get(`${server.url}/api/events/${id}`);
    expect(detail.status()).toBe(200);
    expect(((await detail.json()) as { uuid: string }).uuid).toBe(uuid);
  }
  const after = await request.post(`${server.url}/api/events`, {
    data: makeAlert({ uuid: `${tag}-after`, hostname: tag }),
  });
  expect(after.status()).toBe(200);
});
