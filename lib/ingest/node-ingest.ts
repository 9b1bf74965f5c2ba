import 'server-only';
// The ingest URLs answered from node:http by the server (lib/server/serve.ts) ahead of Next, whose
// pipeline costs more than storing the one alert Falco posts (docs/decisions/0025). Same service and
// answers as the routes; other URLs and verbs, and everything under `next start`, go through Next.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply } from '../api/with-api';
import { BASE_PATH } from '../base-path';
import { stringifyJson } from '../falco/json';
import { ingestCall } from './ingest';
import { readNodeBodyText } from './read-body';

// The routes' URLs (app/api/events, app/api/v1/events/add) and the ones proxy.ts rewrites to the
// latter (`POST /`, `POST /api/v1/`). Compared raw: a spelling these miss still reaches Next.
const INGEST_PATHS = new Set([
  `${BASE_PATH}/api/events`,
  `${BASE_PATH}/api/v1/events/add`,
  `${BASE_PATH}/api/v1`,
  `${BASE_PATH}/api/v1/`,
  ...(BASE_PATH === '' ? ['/'] : []),
]);

// What jsonResponse sets, plus what next.config.js `headers()` adds to every response.
const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = stringifyJson(body);
  response.writeHead(status, { ...HEADERS, ...headers, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Takes the request when it is an ingest POST or PUT and answers it; false leaves it to Next. */
export function serveIngest(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== 'POST' && request.method !== 'PUT') return false;
  const url = request.url ?? '';
  const query = url.indexOf('?');
  const pathname = query < 0 ? url : url.slice(0, query);
  if (!INGEST_PATHS.has(pathname)) return false;
  ingestCall({
    authorization: request.headers.authorization ?? null,
    searchParams: new URLSearchParams(query < 0 ? '' : url.slice(query + 1)),
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: (maxBytes) => readNodeBodyText(request, maxBytes),
  })
    .then(
      (report) => send(response, 200, report),
      (error: unknown) => {
        if (request.socket.destroyed) return; // the client hung up mid-body: nobody to answer
        const { status, body, headers } = errorReply(error, request.method ?? '', pathname);
        send(response, status, body, headers);
      },
    )
    .catch((error: unknown) => {
      // Answering itself failed: drop the connection rather than let the rejection end the process.
      console.error(`[perch] ${request.method} ${pathname}: answering failed:`, error);
      response.destroy();
    });
  return true;
}
