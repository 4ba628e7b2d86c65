/**
 * CORS by an allow-list of exact origins (`TASHIL_CORS_ORIGINS`), over a real
 * server: the headers a browser reads, then a real Chromium on another
 * origin doing what a web client does — allowed from a listed origin,
 * refused by the browser itself from any other.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { ConfigError, loadConfig } from '../../src/config';
import { listen, type Listening } from '../../src/http';
import { silentLog } from '../../src/log';
import { startTestApp, type TestApp } from '../support/app';
import { TEST_JWT_SECRET, tokenFor } from '../support/server-process';

const ALLOWED = 'https://panel.tashil.example';
const OTHER = 'https://evil.example';
const PING = JSON.stringify({ query: '{ units { totalCount } }' });

const serve = async (origins: string): Promise<{ t: TestApp; http: Listening }> => {
  const t = await startTestApp({ env: { TASHIL_JWT_SECRET: TEST_JWT_SECRET, PORT: '0', TASHIL_CORS_ORIGINS: origins } });
  return { t, http: await listen(t.app, silentLog) };
};
const token = () => tokenFor({ subject: 'web-client', roles: ['VIEWER'] });

const preflight = (http: Listening, origin: string) =>
  fetch(http.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

const corsHeadersOf = (r: Response) =>
  Object.fromEntries([...r.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

describe('with an allow-list', () => {
  let t: TestApp;
  let http: Listening;
  beforeAll(async () => ({ t, http } = await serve(`${ALLOWED}, http://localhost:5173`)));
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  test('a preflight from a listed origin is answered for that origin only, without credentials', async () => {
    const r = await preflight(http, ALLOWED);
    expect(r.status).toBe(204);
    expect(corsHeadersOf(r)).toEqual({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, apollo-require-preflight, x-request-id',
      'access-control-max-age': '7200',
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    });
  });

  test('a preflight from an origin not listed gets no CORS headers (the browser then refuses)', async () => {
    const r = await preflight(http, OTHER);
    expect(Object.keys(corsHeadersOf(r)).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  test('an answer to a listed origin names it, varies by Origin and exposes the request id', async () => {
    const r = await fetch(http.url, { method: 'POST', body: PING, headers: { origin: 'http://localhost:5173', 'content-type': 'application/json', authorization: `Bearer ${await token()}` } });
    expect(r.status).toBe(200);
    expect(corsHeadersOf(r)).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-expose-headers': 'x-request-id, retry-after, www-authenticate',
      vary: 'Origin',
    });
  });

  test('errors the server answers early (a bad token) carry the CORS headers too, so the page can read them', async () => {
    const r = await fetch(http.url, { method: 'POST', body: PING, headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: 'Bearer x.y.z' } });
    expect(r.status).toBe(401);
    expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  test('an answer to another origin has no CORS headers, only Vary: Origin', async () => {
    const r = await fetch(http.url, { method: 'POST', body: PING, headers: { origin: OTHER, 'content-type': 'application/json', authorization: `Bearer ${await token()}` } });
    expect(corsHeadersOf(r)).toEqual({ vary: 'Origin' });
  });

  test('the allow-list never answers with a wildcard or allows credentials', async () => {
    for (const origin of [ALLOWED, OTHER, 'null']) {
      const r = await preflight(http, origin);
      expect(r.headers.get('access-control-allow-origin')).not.toBe('*');
      expect(r.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

test('without TASHIL_CORS_ORIGINS the server sends no CORS headers at all (same origin only)', async () => {
  const { t, http } = await serve('');
  try {
    const answers = [
      await preflight(http, ALLOWED),
      await fetch(http.url, { method: 'POST', body: PING, headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: `Bearer ${await token()}` } }),
    ];
    for (const r of answers) expect(corsHeadersOf(r)).toEqual({});
  } finally {
    await http.close();
    await t.close();
  }
});

describe('TASHIL_CORS_ORIGINS is checked at start-up', () => {
  test('origins are taken as browsers write them: lower-case host, no default port, no trailing slash', () => {
    const config = loadConfig({ TASHIL_CORS_ORIGINS: ' https://Panel.Tashil.example/ ,http://localhost:5173,https://x.example:443' });
    expect(config.corsOrigins).toEqual(['https://panel.tashil.example', 'http://localhost:5173', 'https://x.example']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });

  test.each([
    ['*', /"\*" is not allowed/],
    ['https://a.example, *', /"\*" is not allowed/],
    ['null', /"null"/],
    ['panel.tashil.example', /not an origin/],
    ['https://panel.tashil.example/app', /scheme, host and port only/],
    ['ftp://files.example', /scheme, host and port only/],
  ])('%s is refused with a clear message', (value, message) => {
    expect(() => loadConfig({ TASHIL_CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TASHIL_CORS_ORIGINS: value })).toThrow(message);
  });
});

describe('a real browser on another origin', () => {
  let browser: Browser;
  let pages: Server[];
  let listed: string;
  let unlisted: string;
  let t: TestApp;
  let http: Listening;

  /** A page origin of its own: a loopback server that serves an empty page. */
  const pageOrigin = async (): Promise<[Server, string]> => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>panel</title>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
  };

  beforeAll(async () => {
    const [a, b] = await Promise.all([pageOrigin(), pageOrigin()]);
    pages = [a[0], b[0]];
    [listed, unlisted] = [a[1], b[1]];
    ({ t, http } = await serve(listed));
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  });
  afterAll(async () => {
    await browser?.close();
    await http.close();
    await t.close();
    await Promise.all(pages.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** What `fetch` from a page on `origin` gets: the data and the request id it can read, or the browser's refusal. */
  const fetchFrom = async (origin: string, authorization: string) => {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ({ url, authorization }) => {
          try {
            const r = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization },
              body: JSON.stringify({ query: '{ units { totalCount } }' }),
            });
            return { status: r.status, body: await r.json(), requestId: r.headers.get('x-request-id') };
          } catch (error) {
            return { refused: String(error) };
          }
        },
        { url: http.url, authorization },
      );
    } finally {
      await page.close();
    }
  };

  test('a page on a listed origin queries with its token and reads the answer and the request id', async () => {
    const r = await fetchFrom(listed, `Bearer ${await token()}`);
    expect(r).toEqual({ status: 200, body: { data: { units: { totalCount: 0 } } }, requestId: expect.stringMatching(/\S/) });
  });

  test('a page on a listed origin reads why its token was refused', async () => {
    const r = await fetchFrom(listed, 'Bearer expired.or.wrong');
    expect(r).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } });
  });

  test('a page on any other origin is stopped by the browser', async () => {
    const r = await fetchFrom(unlisted, `Bearer ${await token()}`);
    expect(r).toEqual({ refused: expect.stringMatching(/Failed to fetch/) });
  });
});
