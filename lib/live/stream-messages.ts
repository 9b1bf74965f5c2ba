// What GET /api/stream sends. Every message carries `cursor`: the id up to which the client has
// everything that matches its filter. A client that reconnects passes it back as `after`.
import type { EventSummary } from '../events/types';

export type StreamMessage =
  /** Sent once per connection, after any catch-up: from here on the client is live. */
  | { type: 'ready'; cursor: number }
  /** Newly committed alerts matching the filter, oldest first. */
  | { type: 'alerts'; cursor: number; alerts: EventSummary[] }
  /** Too much arrived (or the store was replaced) to send alert by alert: reload the view. */
  | { type: 'reset'; cursor: number }
  /** Every HEARTBEAT_MS, so a client can tell a quiet stream from a dead one. */
  | { type: 'heartbeat'; cursor: number; time: number };

/** How often the server sends a heartbeat; a client hearing nothing for twice as long is stale. */
export const HEARTBEAT_MS = 15_000;
