/** Which clients get gzip (src/http/compression.ts): RFC 9110's Accept-Encoding, q-values and `*` included. */
import { acceptsGzip, MIN_COMPRESSED_BYTES, shouldGzip } from '../../src/http/compression';

describe('Accept-Encoding', () => {
  test.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['gzip, deflate, br, zstd', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['gzip ; q=0.5', true],
    ['br', false],
    ['identity', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['*;q=0, gzip', true],
    ['gzip;q=nonsense', false],
  ])('%p accepts gzip: %p', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

test('only answers of at least a kilobyte are worth compressing', () => {
  expect(shouldGzip(Buffer.alloc(MIN_COMPRESSED_BYTES - 1), 'gzip')).toBe(false);
  expect(shouldGzip(Buffer.alloc(MIN_COMPRESSED_BYTES), 'gzip')).toBe(true);
  expect(shouldGzip(Buffer.alloc(MIN_COMPRESSED_BYTES), undefined)).toBe(false);
});
