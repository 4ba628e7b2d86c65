import { createHash, randomUUID } from 'node:crypto';

// Fixed namespace for Tashil's name-based ids (RFC 4122 §4.3). Changing it would
// change every id derived from an idempotency key, so it never changes.
const NAMESPACE = Buffer.from('6f1c0d2e8b7a4c5e9d3f2a1b0c9e8d7f', 'hex');

/** RFC 4122 version-5 UUID: the same name always gives the same id. */
export const uuidV5 = (name: string): string => {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const newId = (): string => randomUUID();
