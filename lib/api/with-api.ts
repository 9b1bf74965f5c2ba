// The one wrapper every route handler goes through: it turns thrown ApiErrors into the error
// envelope and anything unexpected into a 500 with a fixed message (the detail goes to the log).
import { stringifyJson } from '../falco/json';
import { requireViewer, viewerOf } from '../access/require-viewer';
import { getDb } from '../db/connection';
import { newestEventId } from '../db/live-queries';
import { ApiError, errorBody } from './errors';
import { NEWEST_ID_HEADER } from './fetch-json';

type Handler<Ctx> = (request: Request, context: Ctx) => Promise<Response> | Response;

/** A JSON response that keeps BigInt values exact. */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  return jsonTextResponse(stringifyJson(body), init);
}

/** A JSON response from text already serialised (by a reader thread, lib/db/read-pool.ts). */
export function jsonTextResponse(json: string, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('cache-control', 'no-store');
  return new Response(json, { ...init, headers });
}

export function errorResponse(error: ApiError): Response {
  return jsonResponse(errorBody(error.code, error.message, error.issues), {
    status: error.status,
    headers: error.headers,
  });
}

/**
 * The answer to a thrown error: an ApiError's own, anything else a 500 with a fixed message (the
 * detail goes to the log). Shared with the ingest served straight from node:http (lib/ingest/node-ingest.ts).
 */
export function errorReply(error: unknown, method: string, pathname: string): { status: number; body: unknown; headers?: Record<string, string> } {
  if (error instanceof ApiError) return { status: error.status, body: errorBody(error.code, error.message, error.issues), headers: error.headers };
  console.error(`[perch] ${method} ${pathname} failed:`, error);
  return { status: 500, body: errorBody('internal', 'Internal error; the server log has the details.') };
}

/**
 * `read`: only for those who may see alerts (see lib/access). `public`: anyone (ingest checks its
 * own token; login must be reachable). By default reads (GET, HEAD) are `read`, so a new route is
 * closed unless it says otherwise.
 */
export type RouteAccess = 'read' | 'public';

export function withApi<Ctx = unknown>(handler: Handler<Ctx>, { access }: { access?: RouteAccess } = {}): Handler<Ctx> {
  return async (request, context) => {
    try {
      const needed = access ?? (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'public');
      if (needed === 'read') requireViewer(request);
      // Read before the handler reads, so the answer holds at least every alert up to this id: a
      // page whose answers all reach the live stream's starting cursor need not refetch them.
      const newest = request.method === 'GET' && viewerOf(request) ? newestEventId(getDb()) : null;
      const response = await handler(request, context);
      if (newest !== null && response.ok) response.headers.set(NEWEST_ID_HEADER, String(newest));
      return response;
    } catch (error) {
      const { status, body, headers } = errorReply(error, request.method, new URL(request.url).pathname);
      return jsonResponse(body, { status, headers });
    }
  };
}

/** The answer for a verb a route does not support. */
export function methodNotAllowed(allowed: readonly string[]) {
  return withApi(() => {
    throw new ApiError('method_not_allowed', `Use ${allowed.join(' or ')} on this URL.`, undefined, {
      allow: allowed.join(', '),
    });
  }, { access: 'public' });
}
