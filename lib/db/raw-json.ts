// event_payloads.raw: the alert's JSON exactly as received, stored deflated with a preset dictionary
// of real alerts, which holds the keys and words every alert of a rule repeats (decision 0031).
// It comes back byte for byte.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PAYLOAD_DICTIONARY_1 } from './payload-dictionary';

// A raw deflate stream's first byte holds the block type in bits 1–2, and type 3 is reserved: a
// first byte with both set is a format byte, and a row without one is plain raw deflate.
const FORMAT_BITS = 0b110;
const WITH_DICTIONARY_1 = 0b110;

/** The stored form: a format byte, then the JSON deflated with dictionary 1. */
export function packRaw(raw: string): Buffer {
  const deflated = deflateRawSync(raw, { dictionary: PAYLOAD_DICTIONARY_1 });
  const packed = Buffer.allocUnsafe(deflated.length + 1);
  packed[0] = WITH_DICTIONARY_1;
  deflated.copy(packed, 1);
  return packed;
}

/**
 * The JSON text as received, from any stored form: TEXT (rows older than migration 0005), plain
 * raw deflate (rows written before format 1), or a format byte and its stream.
 */
export function unpackRaw(stored: string | Buffer | Uint8Array): string {
  if (typeof stored === 'string') return stored;
  const first = stored[0] ?? 0;
  if ((first & FORMAT_BITS) !== FORMAT_BITS) return inflateRawSync(stored).toString('utf8');
  if (first !== WITH_DICTIONARY_1) throw new Error(`stored alert in an unknown format (0x${first.toString(16)})`);
  return inflateRawSync(stored.subarray(1), { dictionary: PAYLOAD_DICTIONARY_1 }).toString('utf8');
}
