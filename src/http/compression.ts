/**
 * Compressed GraphQL answers for clients that accept them (every browser and
 * HTTP library does). A page of fifty cases or history entries is 20 to 40 KB
 * of JSON, mostly Persian text at two bytes a letter, and about a seventh of
 * that gzipped: what a screen on a county office's link waits for, and what
 * the server and the client spend writing and reading it. Only gzip: every
 * client that compresses at all accepts it, and one coding keeps one
 * compressed copy per remembered answer (src/http/response-cache.ts).
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Smaller answers go as they are: a few hundred bytes gain less than the gzip framing and the work cost. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * Whether an `Accept-Encoding` header accepts gzip (RFC 9110 §12.5.3): named
 * with a q-value above 0, or left to `*` with one. No header: the client did not
 * ask, so it gets the answer as it is.
 */
export const acceptsGzip = (acceptEncoding: string | undefined): boolean => {
  if (acceptEncoding === undefined) return false;
  let named: number | undefined;
  let any: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name === 'q') q = Number(value);
    }
    if (!Number.isFinite(q)) continue;
    if (coding === 'gzip' || coding === 'x-gzip') named = Math.max(named ?? 0, q);
    else if (coding === '*') any = Math.max(any ?? 0, q);
  }
  return (named ?? any ?? 0) > 0;
};

/** Whether this answer should go gzipped to this client. */
export const shouldGzip = (body: Buffer, acceptEncoding: string | undefined): boolean =>
  body.byteLength >= MIN_COMPRESSED_BYTES && acceptsGzip(acceptEncoding);

const gzipAsync = promisify(gzip);

/**
 * On libuv's thread pool, so the event loop serves other requests meanwhile.
 * Level 6, zlib's default: on these answers about as fast as the lower levels
 * and a little smaller.
 */
const gzipBody = (body: Buffer): Promise<Buffer> => gzipAsync(body);

/** Adds a field to `Vary`, keeping those already there (CORS varies on `Origin`). */
const varyOn = (res: ServerResponse, field: string): void => {
  const current = res.getHeader('vary');
  const fields = current === undefined ? [] : String(current).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (!fields.some((f) => f.toLowerCase() === field.toLowerCase() || f === '*')) fields.push(field);
  res.setHeader('vary', fields.join(', '));
};

/**
 * Ends the answer with `body`, gzipped when the client accepts it, with the
 * headers that go with that. `gzipped`: the body already compressed (a
 * remembered answer's), used instead of compressing again. Returns the gzipped
 * bytes sent, if they were.
 */
export const endAnswer = async (req: IncomingMessage, res: ServerResponse, body: Buffer, gzipped?: Buffer): Promise<Buffer | undefined> => {
  // Only an answer large enough to be compressed varies by it; a small one goes plain to everyone.
  if (body.byteLength >= MIN_COMPRESSED_BYTES) varyOn(res, 'Accept-Encoding');
  if (!shouldGzip(body, req.headers['accept-encoding'])) {
    res.end(body);
    return undefined;
  }
  const sent = gzipped ?? (await gzipBody(body));
  res.setHeader('content-encoding', 'gzip');
  res.end(sent);
  return sent;
};
