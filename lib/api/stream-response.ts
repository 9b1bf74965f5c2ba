import 'server-only';
import { getAccessConfig } from '../access/access-config';
import { viewerOf } from '../access/require-viewer';
import { clientAddress } from '../access/viewer';
import { getConfig } from '../config';
import { filterToSearchParams, type EventFilter } from '../filters/event-filter';
import { MAX_SUBSCRIBERS, streamHub, type StreamCloseReason } from '../live/stream-hub';
import { ApiError } from './errors';

// A client whose unread messages pass this is too slow (or gone without closing): it is dropped
// and reconnects with its cursor when it can keep up again.
const MAX_QUEUED_BYTES = 1_048_576;
const HIGH_WATER_MARK = 65_536;
// Tells EventSource how soon to retry on its own; our client does its own back-off on top.
const RETRY_MS = 2_000;

/**
 * GET /api/stream: Server-Sent Events of newly committed alerts matching `filter`, from after the
 * alert id `after` (or the Last-Event-ID an EventSource sends by itself on reconnect).
 */
export function streamResponse(request: Request, filter: EventFilter, afterParam: number | undefined): Response {
  const resume = request.headers.get('last-event-id');
  const after = afterParam ?? (resume !== null && /^\d{1,15}$/.test(resume) ? Number(resume) : undefined);

  const hub = streamHub();
  if (hub.size >= MAX_SUBSCRIBERS) {
    throw new ApiError(
      'too_many_streams',
      `This server already serves ${MAX_SUBSCRIBERS} live streams; retry later.`,
      undefined,
      { 'retry-after': '10' },
    );
  }
  // Unknown without Perch's own server (`next start`): such streams have only the server-wide cap.
  const client = clientAddress(request.headers, getAccessConfig().trustedProxies);
  const perClient = getConfig().maxStreamsPerClient;
  if (client !== null && hub.streamsOf(client) >= perClient) {
    throw new ApiError(
      'too_many_streams',
      `Your address already holds ${perClient} live streams, the most one client may open (PERCH_MAX_STREAMS_PER_CLIENT); close some, or retry later.`,
      undefined,
      { 'retry-after': '10' },
    );
  }

  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | null = null;
  const end = () => {
    unsubscribe?.();
    unsubscribe = null;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`retry: ${RETRY_MS}\n\n`));
        const sink = {
          send(text: string) {
            if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) return false;
            try {
              controller.enqueue(encoder.encode(text));
              return true;
            } catch {
              return false; // already closed by the client
            }
          },
          close(reason: StreamCloseReason) {
            end();
            try {
              // Ended access closes cleanly when nothing is queued (a reconnect then gets 401); a
              // backlog is cut off, so a client that stops reading cannot hold the connection open.
              if (reason === 'access-ended' && (controller.desiredSize ?? 0) >= HIGH_WATER_MARK) controller.close();
              else
                controller.error(
                  new Error(reason === 'access-ended' ? 'live stream access ended' : 'live stream client too slow'),
                );
            } catch {
              // already closed
            }
          },
        };
        // The same check as at connect, with the same headers: a logout, an expiry or a removed
        // token ends the stream too.
        const mayRead = () => viewerOf(request) !== null;
        unsubscribe = hub.subscribe(filter, filterToSearchParams(filter).toString(), after, sink, { client, mayRead });
        request.signal.addEventListener('abort', () => {
          end();
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
      },
      cancel: end,
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );

  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: keeps response compression from buffering the stream.
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
