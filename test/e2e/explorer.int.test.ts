/**
 * The explorer's HTTP surface on the real server process: who gets the page
 * at GET /graphql (browsers only, in development or when switched on), how
 * the page and its bundle are served (types, caching, compression, a CSP that
 * names no other origin), and that GraphQL clients see no difference. The
 * preloaded example operations are checked against the committed schema.
 */
import { buildSchema, parse, validate } from 'graphql';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_OPERATIONS } from '../../src/explorer/client/examples';
import { socketUrl } from '../../src/explorer/client/session';
import { EXPLORER_CSP, explorerRoute } from '../../src/explorer/serve';
import { tempDir } from '../support/app';
import { killAllServers, REPO_ROOT, startServer, type ServerProcess } from '../support/server-process';

/** What Chromium sends when someone types the address. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

const dataDirs: string[] = [];
const start = (env: Record<string, string | undefined> = {}): Promise<ServerProcess> => {
  const dataDir = tempDir('tashil-explorer-int-');
  dataDirs.push(dataDir);
  return startServer({ dataDir, env });
};

afterAll(async () => {
  await killAllServers();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** The script and stylesheet the page names. */
const assetsOf = (html: string): { js: string; css: string } => ({
  js: /<script defer src="explorer\/([^"]+\.js)"/.exec(html)![1]!,
  css: /<link rel="stylesheet" href="explorer\/([^"]+\.css)"/.exec(html)![1]!,
});

describe('in development (the default)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await start();
  });

  test('a browser opening /graphql gets the explorer page, without a token, with a CSP that allows this origin only', async () => {
    const page = await server.request('/graphql', { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>Tashil · GraphQL explorer</title>');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toBe(EXPLORER_CSP);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // Revalidated, so a new build's asset names reach the browser at once.
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  test('the bundle is served with its content types, cached for good under its hashed names, and gzipped on request', async () => {
    const { text: html } = await server.request('/graphql', { headers: { accept: 'text/html' } });
    const { js, css } = assetsOf(html);
    expect(js).toMatch(/^explorer-\w+\.js$/);

    const script = await server.request(`/explorer/${js}`, { headers: { 'accept-encoding': 'identity' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(script.headers.get('content-encoding')).toBeNull();
    expect(script.text).toBe(readFileSync(join(REPO_ROOT, 'dist', 'explorer', js), 'utf8'));

    const zipped = await server.request(`/explorer/${js}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(script.text.length / 2);
    expect(zipped.text).toBe(script.text);

    const style = await server.request(`/explorer/${css}`);
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(style.text).toContain('.graphiql-container');
  });

  test('only the bundle’s own files are served: unknown names and paths out of the folder are 404', async () => {
    for (const path of ['/explorer/nope.js', '/explorer/index.html', '/explorer/../package.json', '/explorer/%2e%2e%2fpackage.json', '/explorer/']) {
      const response = await server.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.text).not.toContain('"name": "tashil"');
    }
  });

  test('GraphQL clients see no difference: JSON, */* and no Accept get GraphQL, and POST still answers', async () => {
    for (const accept of ['application/json', '*/*', 'application/graphql-response+json', 'text/html;q=0.5, application/json', undefined]) {
      const headers: Record<string, string> = { 'apollo-require-preflight': 'true' };
      if (accept !== undefined) headers.accept = accept;
      const response = await server.request('/graphql?query=%7B__typename%7D', { headers });
      expect({ accept, type: response.headers.get('content-type') }).toEqual({ accept, type: expect.stringMatching(/json/) });
      expect(response.json()).toEqual({ data: { __typename: 'Query' } });
    }
    const post = await server.gql('{ __typename }');
    expect(post.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe.each([
  ['in production (NODE_ENV=production)', { NODE_ENV: 'production' }],
  ['when switched off (TASHIL_EXPLORER=false)', { TASHIL_EXPLORER: 'false' }],
])('%s', (_name, env) => {
  test('a browser gets no explorer at /graphql, nor Apollo’s CDN landing page, and /explorer/ is 404', async () => {
    const server = await start(env);
    const page = await server.request('/graphql', { headers: { accept: BROWSER_ACCEPT } });
    expect(page.headers.get('content-type')).not.toMatch(/html/);
    expect(page.text).not.toMatch(/GraphiQL|explorer\/|apollographql\.com|<html/i);
    expect(page.status).toBe(400);
    const built = readdirSync(join(REPO_ROOT, 'dist', 'explorer')).find((name) => name.endsWith('.js'))!;
    expect((await server.request(`/explorer/${built}`)).status).toBe(404);
    await server.stop();
  });
});

test('TASHIL_EXPLORER=true turns the explorer on in production too', async () => {
  const server = await start({ NODE_ENV: 'production', TASHIL_EXPLORER: 'true' });
  const page = await server.request('/graphql', { headers: { accept: BROWSER_ACCEPT } });
  expect(page.status).toBe(200);
  expect(page.text).toContain('<title>Tashil · GraphQL explorer</title>');
});

test('without a build, the explorer says how to make one (503) instead of a broken page', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'tashil-no-bundle-'));
  const route = explorerRoute(true, empty);
  const http: Server = createServer((req, res) => {
    if (!route(req, res, new URL(req.url ?? '/', 'http://localhost'))) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = http.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  } finally {
    await new Promise((resolve) => http.close(resolve));
    rmSync(empty, { recursive: true, force: true });
  }
});

test('every preloaded example operation is valid against the schema', () => {
  const schema = buildSchema(readFileSync(join(REPO_ROOT, 'schema', 'schema.graphql'), 'utf8'));
  expect(EXAMPLE_OPERATIONS.length).toBeGreaterThanOrEqual(5);
  for (const example of EXAMPLE_OPERATIONS) {
    const errors = validate(schema, parse(example.query)).map((e) => e.message);
    expect({ query: example.query.split('\n').find((l) => /^(query|mutation|subscription)/.test(l)), errors }).toEqual({
      query: expect.any(String),
      errors: [],
    });
    if (example.variables !== undefined) expect(() => JSON.parse(example.variables!)).not.toThrow();
  }
  // At least one runs over WebSocket.
  expect(EXAMPLE_OPERATIONS.some((example) => /^subscription /m.test(example.query))).toBe(true);
});

test('subscriptions go to the page’s own address over ws:, or wss: when the page came over https (behind a TLS proxy, under any path prefix)', () => {
  expect(socketUrl('/graphql', 'http://localhost:4000/graphql')).toBe('ws://localhost:4000/graphql');
  expect(socketUrl('/tashil/graphql', 'https://setad.example.ir/tashil/graphql?tab=2#top')).toBe('wss://setad.example.ir/tashil/graphql');
});
