// Serves the production build: Next's request handler behind node:http, so that Perch knows the
// address at the other end of each connection. Next only passes on `x-forwarded-for`, which any
// client can write; PERCH_TRUSTED_PROXIES and the per-client login limit need the real one.
// Usage: node scripts/serve.mjs [-p PORT]   (or PORT=…; HOST=… to bind one address)
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import next from 'next';
import { root } from './lib/prepare.mjs';

const PEER_HEADER = 'x-perch-peer';
const portFlag = process.argv.indexOf('-p');
const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3000));
// The header carries this process's secret, so a client sending its own x-perch-peer (or Perch
// started some other way) is never mistaken for a trusted proxy.
process.env.PERCH_PEER_SECRET = randomBytes(18).toString('base64url');

const app = next({ dev: false, dir: root, port, hostname: 'localhost' });
const handle = app.getRequestHandler();
await app.prepare();
/** @type {{ __perchGuardHost?: (request: http.IncomingMessage, response: http.ServerResponse) => boolean, __perchServeIngest?: (request: http.IncomingMessage, response: http.ServerResponse) => boolean }} */
const perch = /** @type {any} */ (globalThis);
// Next has started Perch (instrumentation.ts): its Host check must be in place before any request.
if (!perch.__perchGuardHost) throw new Error('Perch did not start inside Next (no Host check): is instrumentation.ts built?');

const server = http.createServer((request, response) => {
  request.headers[PEER_HEADER] = `${process.env.PERCH_PEER_SECRET} ${request.socket.remoteAddress ?? ''}`;
  // The Host check (lib/access/host-guard.ts), offered by lib/server-start.ts as the ingest path is.
  if (perch.__perchGuardHost?.(request, response)) return;
  // Ingest POSTs skip Next's request pipeline (lib/ingest/node-ingest.ts, offered by lib/server-start.ts
  // once Next has started Perch); everything else, and ingest URLs it does not take, go to Next.
  if (perch.__perchServeIngest?.(request, response)) return;
  void handle(request, response);
});
server.listen(port, process.env.HOST || undefined, () => {
  console.log(`[perch] listening on http://${process.env.HOST || 'localhost'}:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
