/** The response cache's memory (src/http/response-cache.ts): versions, keys, and a bound on bytes. */
import { entryBytes, MAX_ENTRY_BYTES, ResponseCache, responseCacheKey, type CachedResponse, type RequestShape } from '../../src/http/response-cache';

const response = (body: string, version = 1): CachedResponse => ({
  status: 200,
  headers: [['content-type', 'application/json; charset=utf-8']],
  body: Buffer.from(body),
  version,
  operation: null,
});

const POST: RequestShape = {
  token: 'eyJ.a.b',
  method: 'POST',
  headers: ['application/json', 'application/json', undefined, undefined],
  text: '{"query":"{ units { totalCount } }"}',
};

describe('a lookup', () => {
  test('hits at the version the response was computed at, and only then', () => {
    const cache = new ResponseCache(1024 * 1024);
    cache.store('k', response('{"data":{}}', 7));
    expect(cache.lookup('k', 7)?.body.toString()).toBe('{"data":{}}');
    expect(cache.lookup('k', 8)).toBeUndefined();
  });

  test('drops a response of another version: it can never be served again', () => {
    const cache = new ResponseCache(1024 * 1024);
    cache.store('k', response('x'.repeat(1000), 7));
    const held = cache.bytes;
    expect(held).toBeGreaterThan(1000);
    expect(cache.lookup('k', 8)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(cache.lookup('k', 7)).toBeUndefined();
  });

  test('misses what was never stored', () => {
    expect(new ResponseCache(1024).lookup('k', 1)).toBeUndefined();
  });
});

describe('the key', () => {
  const key = responseCacheKey(POST);

  test.each<[string, Partial<RequestShape>]>([
    ['another token', { token: 'eyJ.a.c' }],
    ['no token', { token: null }],
    ['another method', { method: 'GET' }],
    ['another Accept', { headers: ['application/graphql-response+json', 'application/json', undefined, undefined] }],
    ['another Content-Type', { headers: ['application/json', 'application/json; charset=utf-8', undefined, undefined] }],
    ['a CSRF-prevention header', { headers: ['application/json', 'application/json', '1', undefined] }],
    ['an empty header instead of none', { headers: ['application/json', 'application/json', '', undefined] }],
    ['other variables', { text: '{"query":"{ units { totalCount } }","variables":{"a":1}}' }],
    ['the same query spelled differently', { text: '{"query":"{units{totalCount}}"}' }],
  ])('differs with %s', (_, change) => {
    expect(responseCacheKey({ ...POST, ...change })).not.toBe(key);
  });

  test('is the same for the same request', () => {
    expect(responseCacheKey({ ...POST, headers: [...POST.headers] })).toBe(key);
  });

  test('cannot be forged by a token that says "anonymous"', () => {
    expect(responseCacheKey({ ...POST, token: 'anonymous' })).not.toBe(responseCacheKey({ ...POST, token: null }));
  });
});

describe('memory', () => {
  test('holds at most its bytes, forgetting the least recently used first', () => {
    const one = entryBytes('a', response('x'.repeat(1000)));
    const cache = new ResponseCache(3 * one);
    cache.store('a', response('x'.repeat(1000)));
    cache.store('b', response('x'.repeat(1000)));
    cache.store('c', response('x'.repeat(1000)));
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * one);
    expect(cache.lookup('a', 1)).toBeDefined(); // a is now the most recently used; b the least
    cache.store('d', response('x'.repeat(1000)));
    expect(cache.bytes).toBeLessThanOrEqual(3 * one);
    expect([...'abcd'].map((k) => cache.lookup(k, 1) !== undefined)).toEqual([true, false, true, true]);
  });

  test('a large entry pushes out as many small ones as it needs', () => {
    const small = entryBytes('s0', response('x'.repeat(100)));
    const cache = new ResponseCache(10 * small);
    for (let i = 0; i < 10; i++) cache.store(`s${i}`, response('x'.repeat(100)));
    expect(cache.size).toBe(10);
    expect(cache.store('big', response('x'.repeat(5 * small)))).toBe(true);
    expect(cache.bytes).toBeLessThanOrEqual(10 * small);
    expect(cache.lookup('big', 1)).toBeDefined();
    expect(cache.lookup('s0', 1)).toBeUndefined();
    expect(cache.lookup('s9', 1)).toBeDefined();
  });

  test('never keeps an entry over 1 MiB, nor one larger than the whole cache', () => {
    const cache = new ResponseCache(8 * 1024 * 1024);
    expect(cache.store('big', response('x'.repeat(MAX_ENTRY_BYTES)))).toBe(false);
    expect(cache.size).toBe(0);
    const tiny = new ResponseCache(500);
    expect(tiny.store('k', response('x'.repeat(400)))).toBe(false);
    expect(tiny.bytes).toBe(0);
  });

  test('storing a key again replaces its entry and its bytes', () => {
    const cache = new ResponseCache(1024 * 1024);
    cache.store('k', response('x'.repeat(1000), 1));
    cache.store('k', response('y'.repeat(10), 2));
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(entryBytes('k', response('y'.repeat(10), 2)));
    expect(cache.lookup('k', 2)?.body.toString()).toBe('y'.repeat(10));
  });

  test('counts Persian text by its UTF-8 bytes, the key by its UTF-16 code units', () => {
    const body = 'واحد تولیدی';
    const bytes = entryBytes('کلید', response(body));
    expect(bytes - entryBytes('', response(''))).toBe(Buffer.byteLength(body) + 'کلید'.length * 2);
  });
});

describe('a gzipped body kept beside a response', () => {
  const gzipped = (bytes: number) => Buffer.alloc(bytes, 1);

  test('is served with it from then on and counted in the bytes', () => {
    const cache = new ResponseCache(1024 * 1024);
    const stored = response('x'.repeat(2000));
    cache.store('k', stored);
    const before = cache.bytes;
    cache.attachGzipped('k', stored, gzipped(300));
    expect(cache.bytes).toBe(before + 300);
    expect(cache.lookup('k', 1)?.gzipped?.length).toBe(300);
  });

  test('is dropped when its response was replaced or forgotten while it was compressed', () => {
    const cache = new ResponseCache(1024 * 1024);
    const old = response('x'.repeat(2000), 1);
    cache.store('k', old);
    cache.store('k', response('y'.repeat(2000), 2));
    const held = cache.bytes;
    cache.attachGzipped('k', old, gzipped(300));
    expect(cache.bytes).toBe(held);
    expect(cache.lookup('k', 2)?.gzipped).toBeUndefined();
    cache.attachGzipped('gone', old, gzipped(300));
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(held);
  });

  test('keeps the cache within its bound, forgetting the least recently used others', () => {
    const one = entryBytes('a', response('x'.repeat(1000)));
    const cache = new ResponseCache(3 * one);
    const a = response('x'.repeat(1000));
    cache.store('a', a);
    cache.store('b', response('x'.repeat(1000)));
    cache.store('c', response('x'.repeat(1000)));
    cache.attachGzipped('a', a, gzipped(500));
    expect(cache.bytes).toBeLessThanOrEqual(3 * one);
    expect(['a', 'b', 'c'].map((k) => cache.lookup(k, 1) !== undefined)).toEqual([true, false, true]);
  });

  test('is not kept when the response with it would be too large; the response stays', () => {
    const stored = response('x'.repeat(MAX_ENTRY_BYTES - 2000));
    const cache = new ResponseCache(8 * 1024 * 1024);
    expect(cache.store('k', stored)).toBe(true);
    cache.attachGzipped('k', stored, gzipped(5000));
    expect(cache.lookup('k', 1)?.gzipped).toBeUndefined();
    expect(cache.bytes).toBe(entryBytes('k', stored));
  });
});
