// Every error Perch answers with, and its HTTP status. One envelope everywhere:
// { "error": { "code", "message", "issues"? } }.
export const ERROR_STATUS = {
  empty_body: 400,
  invalid_json: 400,
  invalid_query: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  host_not_allowed: 421,
  cross_site_request: 403,
  too_many_login_attempts: 429,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  invalid_alert: 422,
  store_unavailable: 503,
  ingest_overloaded: 503,
  too_many_streams: 503,
  reads_overloaded: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorIssue {
  /** Position in a batch: array index (from 0) or NDJSON line (from 1). */
  index?: number;
  line?: number;
  /** The field at fault, as a path such as `priority` or `output_fields`. */
  field?: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string, issues?: ErrorIssue[]) {
  return { error: issues && issues.length > 0 ? { code, message, issues } : { code, message } };
}
