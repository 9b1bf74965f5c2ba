// The headers every page carries. Alert text is attacker-controlled; React renders it as text,
// and the Content-Security-Policy is the second wall: no script runs unless Next put it there
// with this response's nonce.
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(nonce: string, frameAncestors: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    // React and recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** Headers for every response, pages and API alike. */
export function staticSecurityHeaders(frameAncestors: string): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
  // X-Frame-Options for browsers without frame-ancestors; it can only say "nobody" or "same origin".
  if (frameAncestors === "'none'") headers['x-frame-options'] = 'DENY';
  else if (frameAncestors === "'self'") headers['x-frame-options'] = 'SAMEORIGIN';
  return headers;
}
