import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLines, type PreparedLines } from '../../lib/ingest/prepare-lines';
import { corpusLines } from '../../lib/testing/ingest-worker';
import { WORKER_READY } from '../../lib/worker-threads';
import { bundle, bundlePath } from './bundle.mjs';

// Inside the project folder, as a build is: the bundles resolve their packages from node_modules.
const dist = mkdtempSync(path.join(fileURLToPath(new URL('../..', import.meta.url)), '.next-bundle-test-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

/** Bytes as base64, whether a Buffer here or a Uint8Array after crossing threads. */
const comparable = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_key, field: unknown) => {
      if (typeof field === 'bigint') return `${field}n`;
      if (field instanceof Uint8Array) return Buffer.from(field).toString('base64');
      const json = field as { type?: unknown; data?: unknown } | null;
      return json?.type === 'Buffer' && Array.isArray(json.data) ? Buffer.from(json.data).toString('base64') : field;
    }),
  );

/** A message from the worker other than its ready message. */
function nextAnswer(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message === WORKER_READY) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

describe('the build bundles', () => {
  beforeAll(() => bundle({ distDir: dist }), 60_000);

  it('run the prepare worker without tsx, answering as the sources do', async () => {
    const worker = new Worker(bundlePath(dist, 'prepare-worker'));
    try {
      await new Promise((resolve, reject) => {
        worker.on('message', (message) => message === WORKER_READY && resolve(true));
        worker.once('error', reject);
      });
      const lines = corpusLines.map((text, i) => [i + 1, text] as const);
      const answer = nextAnswer(worker);
      worker.postMessage({ lines, options: {} });
      const fromBundle = (await answer) as PreparedLines;
      const fromSources = prepareLines(lines);
      expect(fromBundle.alerts.length).toBe(corpusLines.length);
      expect(fromBundle.issues).toEqual(fromSources.issues);
      expect(comparable(fromBundle.alerts)).toEqual(comparable(fromSources.alerts));
    } finally {
      await worker.terminate();
    }
  }, 30_000);

  it("hold Perch's own code and import only runtime packages: no tsx, no TypeScript sources", () => {
    for (const name of ['server', 'prepare-worker', 'read-worker'] as const) {
      const text = readFileSync(bundlePath(dist, name), 'utf8');
      const imported = new Set([...text.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]!));
      const packages = [...imported].filter((specifier) => !specifier.startsWith('node:'));
      expect(
        packages.every((specifier) => ['next', 'better-sqlite3', 'zod', 'prom-client'].includes(specifier)),
        `${name}: ${packages}`,
      ).toBe(true);
    }
    const server = readFileSync(bundlePath(dist, 'server'), 'utf8');
    expect(server).toContain('function serveIngest(');
    expect(server).toContain('function refuseForeignHost(');
    expect(server).not.toContain('__perchServeIngest');
  });
});
