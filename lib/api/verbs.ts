// The verbs Perch answers and how each route states the ones it takes (see docs/decisions/0007).
// Pure: proxy.ts answers pages with it, lib/api/with-api.ts answers route handlers.
import { errorBody } from './errors';

/** Every verb a route answers; the verb matrix (e2e/api/verbs.spec.ts) sends each to every URL. */
const VERBS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Verb = (typeof VERBS)[number];
/** The verbs a route declares; HEAD follows GET and OPTIONS is answered for every route. */
export type DeclaredVerb = Exclude<Verb, 'HEAD' | 'OPTIONS'>;
const DECLARED_ORDER: readonly DeclaredVerb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The `Allow` value for the verbs a route declares, in a fixed order. */
export function allowHeader(declared: readonly DeclaredVerb[]): string {
  return DECLARED_ORDER.filter((verb) => declared.includes(verb)).join(', ');
}

/** True when a route declaring `declared` takes `method` (HEAD with GET, OPTIONS always). */
export function takesVerb(declared: readonly DeclaredVerb[], method: string): boolean {
  if (method === 'OPTIONS') return true;
  return declared.includes((method === 'HEAD' ? 'GET' : method) as DeclaredVerb);
}

/** The JSON 405 for a verb a route does not take. */
export function methodNotAllowedBody(declared: readonly DeclaredVerb[]) {
  return errorBody(
    'method_not_allowed',
    `Use ${DECLARED_ORDER.filter((verb) => declared.includes(verb)).join(' or ')} on this URL.`,
  );
}

/** OPTIONS: no body, the verbs in `Allow`. */
export function optionsResponse(declared: readonly DeclaredVerb[], headers: Record<string, string> = {}): Response {
  return new Response(null, {
    status: 204,
    headers: { allow: allowHeader(declared), 'cache-control': 'no-store', ...headers },
  });
}
