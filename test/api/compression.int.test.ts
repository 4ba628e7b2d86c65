/**
 * Compressed answers over real HTTP on a loopback port: a client that accepts
 * gzip gets the answer gzipped, and it is byte for byte the answer another
 * client gets plain — fresh or from the response cache, whichever client asked
 * first. Requests go through `node:http`, which (unlike fetch) hands over the
 * bytes as they came, so what is compressed is seen, not assumed.
 */
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { issueToken } from '../../src/auth/tokens';
import { listen, type Listening } from '../../src/http';
import { startTestApp, type TestApp } from '../support/app';
import { REGISTER_UNIT, kharazmiUnit } from './operations';

const PANEL = 'https://panel.example.ir';
const UNITS = `query ($county: String) { units(county: $county, first: 50) { totalCount edges { cursor node { id name sector location activityStatus } } } }`;
const COUNT = `{ units(first: 1) { totalCount } }`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they came over the wire. */
  raw: Buffer;
  /** The body, gunzipped when it came gzipped. */
  text: string;
  cached: boolean;
}

let t: TestApp;
let http: Listening;
let admin: string;
const cachedByRequest = new Map<string, boolean>();
let requests = 0;

const post = (query: string, variables: Record<string, unknown> | undefined, headers: Record<string, string> = {}): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const requestId = `compression-${++requests}`;
    const body = JSON.stringify({ query, variables });
    const req = request(
      http.url,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'x-request-id': requestId, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
          // The access log line is written when the answer finishes, before the client has read it all.
          setImmediate(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, cached: cachedByRequest.get(requestId) === true }));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const cacheBytes = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    request(new URL('/metrics', http.url), { headers: { authorization: `Bearer ${admin}` } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(Number(/tashil_response_cache_bytes (\d+)/.exec(text)?.[1] ?? NaN)));
    })
      .on('error', reject)
      .end();
  });

beforeAll(async () => {
  t = await startTestApp({ env: { PORT: '0', TASHIL_RATE_LIMIT_PER_MINUTE: '100000', TASHIL_CORS_ORIGINS: PANEL } });
  http = await listen(t.app, (msg, fields = {}) => {
    if (msg === 'request') cachedByRequest.set(String(fields.requestId), fields.cached === true);
  });
  admin = await issueToken(t.app.tokens, { subject: 'compression-admin', roles: ['ADMIN'], province: 'تهران' });
  for (let i = 0; i < 12; i++) {
    await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(10700000000 + i), name: `واحد تولیدی شماره ${i + 1} شهرک خوارزمی` }) });
  }
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
});
afterAll(async () => {
  await http.close();
  await t.close();
});

describe('a client that accepts gzip', () => {
  test('gets a large answer gzipped, the same bytes a client without gzip gets plain', async () => {
    const gzipped = await post(UNITS, { county: 'پاکدشت' }, { 'accept-encoding': 'gzip, deflate, br' });
    const plain = await post(UNITS, { county: 'پاکدشت' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBe(gzipped.raw.length);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.text).data.units.totalCount).toBe(12);
    expect(gzipped.text).toBe(plain.text);
    // Persian JSON compresses well: the point of doing it.
    expect(gzipped.raw.length).toBeLessThan(plain.raw.length / 3);
  });

  test('is told that the answer varies by Accept-Encoding, beside the Origin CORS varies on', async () => {
    const answer = await post(UNITS, { county: 'پاکدشت' }, { 'accept-encoding': 'gzip', origin: PANEL });
    expect(answer.headers['access-control-allow-origin']).toBe(PANEL);
    expect(String(answer.headers.vary).split(/,\s*/)).toEqual(expect.arrayContaining(['Origin', 'Accept-Encoding']));
    const plain = await post(UNITS, { county: 'پاکدشت' }, { origin: PANEL });
    expect(String(plain.headers.vary).split(/,\s*/)).toEqual(expect.arrayContaining(['Origin', 'Accept-Encoding']));
  });

  test('gets a small answer as it is: compressing a few bytes gains nothing, and it does not vary', async () => {
    const answer = await post(COUNT, undefined, { 'accept-encoding': 'gzip', origin: PANEL });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers.vary).toBe('Origin');
    expect(JSON.parse(answer.text).data.units.totalCount).toBe(12);
  });

  test.each([
    ['gzip refused with q=0', 'gzip;q=0, br'],
    ['only a coding the server does not write', 'br'],
    ['only identity', 'identity'],
    ['everything but gzip', 'gzip;q=0, *'],
  ])('a client that accepts no gzip (%s) gets the answer plain', async (_, acceptEncoding) => {
    const answer = await post(UNITS, { county: 'ورامین' }, { 'accept-encoding': acceptEncoding });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(answer.text).data.units.totalCount).toBe(0);
  });

  test('"*" accepts gzip', async () => {
    const answer = await post(UNITS, { county: 'پاکدشت' }, { 'accept-encoding': '*' });
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(answer.text).data.units.totalCount).toBe(12);
  });
});

describe('with the response cache', () => {
  // A query of its own per test (another page size), so that which client asked first is the test's.
  const pageOf = (first: number) => `{ units(first: ${first}) { totalCount edges { cursor node { id name sector location } } } }`;

  test('an answer first computed for a gzip client is served gzipped and plain from the cache', async () => {
    const first = await post(pageOf(11), undefined, { 'accept-encoding': 'gzip' });
    const again = await post(pageOf(11), undefined, { 'accept-encoding': 'gzip' });
    const plain = await post(pageOf(11), undefined);
    expect([first.cached, again.cached, plain.cached]).toEqual([false, true, true]);
    expect(again.headers['content-encoding']).toBe('gzip');
    expect(again.raw.equals(first.raw)).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(first.text);
  });

  test('an answer first computed plain is gzipped once, by the first hit that asks, and kept within the bound', async () => {
    const plain = await post(pageOf(10), undefined);
    const held = await cacheBytes();
    const gzipped = await post(pageOf(10), undefined, { 'accept-encoding': 'gzip' });
    const withGzip = await cacheBytes();
    const again = await post(pageOf(10), undefined, { 'accept-encoding': 'gzip' });
    expect([plain.cached, gzipped.cached, again.cached]).toEqual([false, true, true]);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.text).toBe(plain.text);
    expect(again.raw.equals(gzipped.raw)).toBe(true);
    // The gzipped body is held beside the plain one and counted in the cache's bytes.
    expect(withGzip - held).toBe(gzipped.raw.length);
  });

  test('after a write, the gzipped answer is computed again and shows it', async () => {
    const before = await post(pageOf(13), undefined, { 'accept-encoding': 'gzip' });
    await post(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10700000099', name: 'واحد تازه پس از پاسخ فشرده' }) });
    const after = await post(pageOf(13), undefined, { 'accept-encoding': 'gzip' });
    expect(after.cached).toBe(false);
    expect(JSON.parse(before.text).data.units.totalCount).toBe(12);
    expect(JSON.parse(after.text).data.units.totalCount).toBe(13);
  });
});
