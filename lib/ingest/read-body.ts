import type { IncomingMessage } from 'node:http';
import { DomainError } from '../errors';

function tooLarge(maxBytes: number): DomainError {
  return new DomainError(
    'payload_too_large',
    `The body exceeds PERCH_MAX_BODY (${maxBytes} bytes); send smaller batches.`,
  );
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

/** The same for a request taken straight from node:http (lib/ingest/node-ingest.ts). */
export function readNodeBodyText(request: IncomingMessage, maxBytes: number): Promise<string> {
  if (Number(request.headers['content-length'] ?? Number.NaN) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (error: unknown) => {
      request.removeListener('data', onData);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received <= maxBytes) chunks.push(chunk);
      else {
        // The rest flows on unkept, so the sender, still writing, gets to read its 413.
        stop(tooLarge(maxBytes));
        chunks.length = 0;
        request.resume();
      }
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, received).toString('utf8')));
    request.on('error', stop);
    // A client that hangs up mid-body: `end` never comes.
    request.once('close', () => {
      if (!request.complete) stop(new Error('the client closed the connection before the body ended'));
    });
  });
}
