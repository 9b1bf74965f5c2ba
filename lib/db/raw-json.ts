import 'server-only';
// event_payloads.raw: the alert's JSON exactly as received, stored deflated. An alert's JSON is
// the biggest part of the store and repeats itself (keys, paths, the output echoing its fields),
// so raw deflate takes it to about half; it comes back byte for byte.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** The stored form: a BLOB of raw deflate (rows written before migration 0005 hold TEXT). */
export const packRaw = (raw: string): Buffer => deflateRawSync(raw);

/** The JSON text as received, from either stored form. */
export const unpackRaw = (stored: string | Buffer | Uint8Array): string =>
  typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8');
