// The one wrapper every route handler goes through: access, the route's parsed query, thrown
// errors into the error envelope (anything unexpected a 500 whose detail goes to the log). apiRoute
// answers the verbs a route does not declare (decision 0007).
import { stringifyJson } from '../falco/json';
import { requireViewer, viewerOf } from '../access/require-viewer';
import { checkSearchAnswerable } from '../events/store';
import { newestAlertId } from '../events/store';
import type { EventFilter } from '../filters/event-filter';
import { errorBody, replyOf } from './errors';
import { NEWEST_ID_HEADER } from './fetch-json';
import type { QuerySchema } from './parse-query';
import { allowHeader, methodNotAllowedBody, optionsResponse, type DeclaredVerb, type Verb } from './verbs';

/** What Next hands a route handler: dynamic segments arrive as a promise. */
type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;

interface ApiArgs<Q> {
  query: Q;
  params: Record<string, string>;
}
export type ApiHandler<Q> = (request: Request, args: ApiArgs<Q>) => Promise<Response> | Response;

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

/**
 * The answer to a thrown error: a domain or API error's own, anything else a 500 with a fixed message
 * (the detail goes to the log). Shared with the ingest served straight from node:http (lib/ingest/node-ingest.ts).
 */
export function errorReply(
  error: unknown,
  method: string,
  pathname: string,
): { status: number; body: unknown; headers?: Record<string, string> } {
  const reply = replyOf(error);
  if (reply) return reply;
  console.error(`[perch] ${method} ${pathname} failed:`, error);
  return { status: 500, body: errorBody('internal', 'Internal error; the server log has the details.') };
}

/**
 * `read`: only for those who may see alerts (see lib/access). `public`: anyone (ingest checks its
 * own token; login must be reachable). By default reads (GET, HEAD) are `read`, so a new route is
 * closed unless it says otherwise.
 */
type RouteAccess = 'read' | 'public';

export interface ApiOptions<Q> {
  access?: RouteAccess;
  /** The route's query schema; its result reaches the handler as `query`. */
  query?: QuerySchema<Q>;
}

const isRead = (method: string) => method === 'GET' || method === 'HEAD';
const hasFilter = (query: unknown): query is { filter: EventFilter } =>
  typeof query === 'object' && query !== null && 'filter' in query;

export function withApi<Q = undefined>(
  handler: ApiHandler<Q>,
  { access, query: schema }: ApiOptions<Q> = {},
): RouteHandler {
  return async (request, context) => {
    try {
      const needed = access ?? (isRead(request.method) ? 'read' : 'public');
      if (needed === 'read') requireViewer(request);
      const query = (schema ? schema(new URL(request.url).searchParams) : undefined) as Q;
      // A free-text prefix too broad to answer quickly is refused before any read (lib/db/event-search.ts).
      if (hasFilter(query)) checkSearchAnswerable(query.filter);
      // Read before the handler reads, so the answer holds at least every alert up to this id: a
      // page whose answers all reach the live stream's starting cursor need not refetch them.
      const newest = isRead(request.method) && viewerOf(request) ? newestAlertId() : null;
      const params = Object.fromEntries(
        Object.entries((await context?.params) ?? {}).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      const response = await handler(request, { query, params });
      if (newest !== null && response.ok) response.headers.set(NEWEST_ID_HEADER, String(newest));
      return response;
    } catch (error) {
      const { status, body, headers } = errorReply(error, request.method, new URL(request.url).pathname);
      return jsonResponse(body, { status, headers });
    }
  };
}

/** HEAD: the GET answer's status and headers, its body never read (a stream is not subscribed to). */
function headOf(get: RouteHandler): RouteHandler {
  return async (request, context) => {
    const response = await get(request, context);
    await response.body?.cancel();
    return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * Every verb of a route: the declared ones, HEAD after GET, OPTIONS (204 with `Allow`), and for
 * the rest the JSON 405 with `Allow`, answered before any access check: it tells nothing about alerts.
 */
export function apiRoute(handlers: Partial<Record<DeclaredVerb, RouteHandler>>): Record<Verb, RouteHandler> {
  const declared = (Object.keys(handlers) as DeclaredVerb[]).filter((verb) => handlers[verb]);
  const refuse: RouteHandler = async () =>
    jsonResponse(methodNotAllowedBody(declared), { status: 405, headers: { allow: allowHeader(declared) } });
  const pick = (verb: DeclaredVerb) => handlers[verb] ?? refuse;
  return {
    GET: pick('GET'),
    HEAD: handlers.GET ? headOf(handlers.GET) : refuse,
    POST: pick('POST'),
    PUT: pick('PUT'),
    PATCH: pick('PATCH'),
    DELETE: pick('DELETE'),
    // biome-ignore lint/correctness/noComponentHookFactories: an HTTP verb, not a component.
    OPTIONS: async () => optionsResponse(declared),
  };
}
