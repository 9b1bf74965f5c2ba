// The errors Perch's domain raises, with no HTTP in them: lib/api/errors.ts alone maps each code to
// a status and headers. The codes are the ones the API answers with (docs: the error table).
const ERROR_CODES = [
  'empty_body',
  'invalid_json',
  'invalid_query',
  'invalid_cursor',
  'unauthorized',
  'host_not_allowed',
  'cross_site_request',
  'forbidden',
  'too_many_login_attempts',
  'not_found',
  'unknown_group',
  'method_not_allowed',
  'payload_too_large',
  'invalid_alert',
  'invalid_exception',
  'invalid_triage',
  'store_unavailable',
  'ingest_overloaded',
  'too_many_streams',
  'reads_overloaded',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorIssue {
  /** Position in a batch: array index (from 0) or NDJSON line (from 1). */
  index?: number;
  line?: number;
  /** The field at fault, as a path such as `priority` or `output_fields`. */
  field?: string;
  code: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    /** How soon the same request may succeed, when waiting helps. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class InvalidCursor extends DomainError {
  constructor(message: string) {
    super('invalid_cursor', message);
  }
}

/** A query the filter model or the store cannot answer (a bad parameter, a search too broad). */
export class InvalidQuery extends DomainError {
  constructor(message: string, issues?: ErrorIssue[]) {
    super('invalid_query', message, issues);
  }
}

/** An ingest request without the ingest token (its own realm: Falco and falcosidekick answer it). */
export class IngestTokenRequired extends DomainError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** Nobody who may read alerts is known for this request (no session, token or trusted user). */
export class NotAuthenticated extends DomainError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** Someone known who may read but not change: a view token. */
export class Forbidden extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
