import { ApiError } from '../api/errors';

function tooLarge(maxBytes: number): ApiError {
  return new ApiError('payload_too_large', `The body exceeds PERCH_MAX_BODY (${maxBytes} bytes); send smaller batches.`);
}

/**
 * The body as text, refusing anything over `maxBytes` without reading the rest. Invalid UTF-8
 * (Falco before 0.44 can send it) becomes U+FFFD rather than an error.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, received).toString('utf8');
}
