// The Host check of every request under `npm start`, made by the server (lib/server/serve.ts) before
// Next or the ingest path sees the request (proxy.ts makes it for pages under `next start`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getAccessConfig } from './access-config';
import { hostAllowed, HOST_REFUSED_MESSAGE } from './allowed-hosts';

// Ingest is not Host-checked (Falco posts to whatever service name reaches Perch); a browser's post
// always carries Origin or Sec-Fetch-Site, and ingest, login and logout judge those themselves.
const isMachinePost = (request: IncomingMessage) =>
  (request.method === 'POST' || request.method === 'PUT') &&
  !request.headers.origin &&
  !request.headers['sec-fetch-site'];

/** Answers 421 and returns true when the request's Host is not one Perch answers to. */
export function refuseForeignHost(request: IncomingMessage, response: ServerResponse): boolean {
  const host = request.headers.host;
  if (isMachinePost(request) || hostAllowed(host, getAccessConfig().allowedHosts)) return false;
  const message = HOST_REFUSED_MESSAGE(host!);
  const page = (request.headers.accept ?? '').includes('text/html');
  const body = page ? `${message}\n` : JSON.stringify({ error: { code: 'host_not_allowed', message } });
  response.writeHead(421, {
    'content-type': page ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
  response.end(body);
  return true;
}
