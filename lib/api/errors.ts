// Every error Perch answers with, and its HTTP status. One envelope everywhere:
// { "error": { "code", "message", "issues"? } }. Domain errors (lib/errors.ts) are mapped here only.
import { DomainError, IngestTokenRequired, NotAuthenticated, type ErrorCode, type ErrorIssue } from '../errors';

export type { ErrorCode, ErrorIssue };

export const ERROR_STATUS = {
  empty_body: 400,
  invalid_json: 400,
  invalid_query: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  host_not_allowed: 421,
  cross_site_request: 403,
  forbidden: 403,
  too_many_login_attempts: 429,
  not_found: 404,
  unknown_group: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  invalid_alert: 422,
  invalid_exception: 422,
  invalid_triage: 422,
  store_unavailable: 503,
  ingest_overloaded: 503,
  too_many_streams: 503,
  reads_overloaded: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** An error raised with its HTTP headers by lib/api and the layers that still speak HTTP (ingest). */
export class ApiError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string,
    issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(code, message, issues);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string, issues?: ErrorIssue[]) {
  return { error: issues && issues.length > 0 ? { code, message, issues } : { code, message } };
}

/** The headers a domain error asks for, as HTTP spells them. */
function headersOf(error: DomainError): Record<string, string> | undefined {
  if (error instanceof ApiError) return error.headers;
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error instanceof NotAuthenticated) headers['www-authenticate'] = 'Bearer realm="perch"';
  if (error instanceof IngestTokenRequired)
    headers['www-authenticate'] = 'Bearer realm="perch-ingest", Basic realm="perch-ingest"';
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** The status, envelope and headers of a domain error; undefined for anything else. */
export function replyOf(
  error: unknown,
): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
  if (!(error instanceof DomainError)) return undefined;
  return {
    status: ERROR_STATUS[error.code],
    body: errorBody(error.code, error.message, error.issues),
    headers: headersOf(error),
  };
}

/** The API's view of any domain error (its status and headers), for tests and callers that need one. */
export function toApiError(error: DomainError): ApiError {
  return error instanceof ApiError ? error : new ApiError(error.code, error.message, error.issues, headersOf(error));
}
