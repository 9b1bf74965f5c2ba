import 'server-only';
// The production server: Next's request handler behind node:http, so that Perch knows the address
// at the other end of each connection (Next only passes on `x-forwarded-for`, which any client can
// write). It checks each request's Host and answers the ingest POSTs itself, ahead of Next.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import next from 'next';
import { refuseForeignHost } from '../access/host-guard';
import { PEER_HEADER } from '../access/viewer';
import { serveIngest } from '../ingest/node-ingest';
import { startPerch } from './start';

export interface ServeOptions {
  /** The project folder (next.config.js, the build, lib/db/migrations). */
  dir: string;
  port: number;
  /** The one address to listen on; every address when undefined. */
  host?: string;
}

/** Starts Perch, then Next, then listens. */
export async function serve({ dir, port, host }: ServeOptions): Promise<http.Server> {
  // The header carries this process's secret, so a client sending its own x-perch-peer (or Perch
  // started some other way) is never mistaken for a trusted proxy.
  process.env.PERCH_PEER_SECRET = randomBytes(18).toString('base64url');
  // Before Next: the store is open and migrated, and the worker threads are loading, when it starts.
  startPerch();
  const app = next({ dev: false, dir, port, hostname: 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((request, response) => {
    request.headers[PEER_HEADER] = `${process.env.PERCH_PEER_SECRET} ${request.socket.remoteAddress ?? ''}`;
    if (refuseForeignHost(request, response)) return;
    // Ingest POSTs skip Next's request pipeline; every other request, and ingest URLs it does not take, go to Next.
    if (serveIngest(request, response)) return;
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  console.log(`[perch] listening on http://${host ?? 'localhost'}:${port}`);
  return server;
}
