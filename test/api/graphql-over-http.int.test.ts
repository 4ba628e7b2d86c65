/**
 * GraphQL over HTTP as the spec (graphql.github.io/graphql-over-http) says,
 * over a real server on a loopback port: the graphql-http audit suite, then
 * what a client sees at the edges — GET for queries, the negotiated media type
 * on every answer (the server's own early errors included), 405, 406, 415.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverAudits, type AuditResult } from 'graphql-http';
import { listen, type Listening } from '../../src/http';
import { silentLog } from '../../src/log';
import { startTestApp, type TestApp } from '../support/app';
import { TEST_JWT_SECRET, tokenFor } from '../support/server-process';
import { jsonOrRaw } from '../support/http';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/**
 * The audits this server does not pass, by id; README.md says why for each.
 * All three: Apollo answers 400 (not 200) to a document that does not parse,
 * validate or coerce its variables when the client asked for plain application/json.
 */
const KNOWN_FAILING_AUDITS = ['572B', 'FDE2', '7B9B'];

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

let t: TestApp;
let http: Listening;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ env: { TASHIL_JWT_SECRET: TEST_JWT_SECRET, PORT: '0', TASHIL_RATE_LIMIT_PER_MINUTE: '100000' } });
  http = await listen(t.app, silentLog);
  token = await tokenFor({ subject: 'http-client', roles: ['ADMIN'] });
});
afterAll(async () => {
  await http.close();
  await t.close();
});

const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

const send = async (init: RequestInit & { search?: string }) => {
  const response = await fetch(`${http.url}${init.search ?? ''}`, init);
  const text = await response.text();
  const json = jsonOrRaw(text);
  return { status: response.status, headers: response.headers, json };
};

const unitCount = async (): Promise<number> => (await t.ok<{ units: { totalCount: number } }>('{ units { totalCount } }')).units.totalCount;

const REGISTER = `mutation { registerUnit(input: { name: "کاشی نوین", nationalId: "10100000777", sector: "کاشی", province: "تهران", county: "پاکدشت", location: "شهرک صنعتی خوارزمی", activityStatus: ACTIVE }) { unit { id } } }`;

describe('the graphql-http audit suite', () => {
  let results: AuditResult[];
  beforeAll(async () => {
    // Every request needs a token; the audits know nothing of it, so their fetch adds one.
    const fetchFn = (input: string | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    };
    const audits = serverAudits({ url: http.url, fetchFn });
    results = [];
    for (const audit of audits) results.push(await audit.fn());
  });

  test('runs the whole suite', () => {
    expect(results.length).toBeGreaterThan(50);
  });

  test('every MUST passes', () => {
    const failing = results.filter((r) => r.name.startsWith('MUST') && r.status !== 'ok');
    expect(failing.map((r) => `${r.id} ${r.name}: ${r.status === 'ok' ? '' : r.reason}`)).toEqual([]);
  });

  test('only the documented audits fail (a newly failing SHOULD or MAY fails this test)', () => {
    const failing = results.filter((r) => r.status !== 'ok');
    expect(failing.map((r) => r.id).sort()).toEqual([...KNOWN_FAILING_AUDITS].sort());
    expect(failing.every((r) => r.name.startsWith('SHOULD'))).toBe(true);
  });

  test.each(KNOWN_FAILING_AUDITS)('README.md explains why audit %s fails', (id) => {
    const audit = results.find((r) => r.id === id)!;
    const row = README.split('\n').find((line) => line.startsWith(`| \`${id}\``));
    expect(row).toContain(audit.name);
    // The name, then why: more than an empty cell.
    expect(row!.split('|').map((cell) => cell.trim()).filter(Boolean).length).toBe(3);
  });
});

describe('GET for queries, POST for everything', () => {
  test('a query over GET with only a token (no CSRF header needed) answers 200 with data', async () => {
    const r = await send({ search: `?query=${encodeURIComponent('query Count { units { totalCount } }')}`, headers: auth() });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.json.data.units.totalCount).toEqual(expect.any(Number));
  });

  test('variables and operationName travel in the query string', async () => {
    const query = 'query A { a: units(first: 1) { totalCount } } query B($county: String) { units(county: $county) { totalCount } }';
    const search = `?query=${encodeURIComponent(query)}&operationName=B&variables=${encodeURIComponent(JSON.stringify({ county: 'هیچ‌جا' }))}`;
    const r = await send({ search, headers: auth() });
    expect(r.json).toEqual({ data: { units: { totalCount: 0 } } });
  });

  test('a mutation over GET is refused with 405 and records nothing', async () => {
    const before = await unitCount();
    const r = await send({ search: `?query=${encodeURIComponent(REGISTER)}`, headers: { ...auth(), accept: GRAPHQL_RESPONSE } });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    expect(r.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
    expect(await unitCount()).toBe(before);
  });

  test('an anonymous GET without a preflight-forcing header is still refused as a possible CSRF', async () => {
    const r = await send({ search: `?query=${encodeURIComponent('{ __typename }')}` });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/CSRF/);
  });

  test.each(['PUT', 'DELETE', 'PATCH'])('%s is 405 with an Allow header, before any token is read', async (method) => {
    const r = await send({ method, headers: { authorization: 'Bearer not-even-a-token' } });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(r.json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('OPTIONS (not a CORS preflight) lists the methods', async () => {
    const r = await fetch(http.url, { method: 'OPTIONS' });
    expect(r.status).toBe(204);
    expect(r.headers.get('allow')).toBe('GET, POST, OPTIONS');
  });
});

describe('media types', () => {
  const post = (body: string, headers: Record<string, string>) => send({ method: 'POST', body, headers: { ...auth(), ...headers } });
  const PING = JSON.stringify({ query: '{ units { totalCount } }' });

  test.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    [GRAPHQL_RESPONSE, GRAPHQL_RESPONSE],
    [`${GRAPHQL_RESPONSE}, application/json;q=0.9`, GRAPHQL_RESPONSE],
    [`application/json;q=0.5, ${GRAPHQL_RESPONSE}`, GRAPHQL_RESPONSE],
  ])('Accept %s is answered in %s', async (accept, type) => {
    const r = await post(PING, { 'content-type': 'application/json', ...(accept ? { accept } : {}) });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
  });

  test('the server\'s own early errors come in the negotiated type too, with a request id', async () => {
    const cases: [string, () => Promise<Awaited<ReturnType<typeof send>>>, number, string][] = [
      ['bad token', () => send({ method: 'POST', body: PING, headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, authorization: 'Bearer x.y.z' } }), 401, 'UNAUTHENTICATED'],
      ['not JSON', () => post('{"query": ', { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE }), 400, 'BAD_REQUEST'],
      ['too large', () => post(JSON.stringify({ query: '{ units { totalCount } }', variables: { pad: 'x'.repeat(1_100_000) } }), { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE }), 413, 'BAD_REQUEST'],
      ['text/plain', () => post(PING, { 'content-type': 'text/plain', accept: GRAPHQL_RESPONSE }), 415, 'BAD_REQUEST'],
      ['DELETE', () => send({ method: 'DELETE', headers: { accept: GRAPHQL_RESPONSE } }), 405, 'BAD_REQUEST'],
    ];
    for (const [why, request, status, code] of cases) {
      const r = await request();
      expect({ why, status: r.status, type: r.headers.get('content-type'), code: r.json.errors?.[0]?.extensions?.code }).toEqual({
        why,
        status,
        type: `${GRAPHQL_RESPONSE}; charset=utf-8`,
        code,
      });
      expect(r.headers.get('x-request-id')).toMatch(/\S/);
    }
  });

  test('a client that accepts neither JSON type gets 406, and its mutation never runs', async () => {
    const before = await unitCount();
    const r = await post(JSON.stringify({ query: REGISTER }), { 'content-type': 'application/json', accept: 'text/csv' });
    expect(r.status).toBe(406);
    expect(r.json.errors[0].message).toMatch(/graphql-response\+json/);
    expect(await unitCount()).toBe(before);
  });

  test.each([
    ['text/plain', /not supported/],
    ['application/x-www-form-urlencoded', /not supported/],
    ['multipart/form-data; boundary=x', /not supported/],
    ['application/json; charset=latin1', /charset/],
  ])('a POST of %s is 415 and runs nothing', async (type, message) => {
    const before = await unitCount();
    const r = await post(JSON.stringify({ query: REGISTER }), { 'content-type': type });
    expect(r.status).toBe(415);
    expect(r.json.errors[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(message) });
    expect(await unitCount()).toBe(before);
  });

  test('a POST without a Content-Type is 415 and names the type to send', async () => {
    const r = await fetch(http.url, { method: 'POST', body: new Uint8Array(Buffer.from(PING)), headers: auth() });
    expect(r.status).toBe(415);
    expect(((await r.json()) as any).errors[0].message).toMatch(/application\/json/);
  });

  test('application/json with charset=utf-8 is accepted', async () => {
    const r = await post(PING, { 'content-type': 'application/json; charset=UTF-8' });
    expect(r.status).toBe(200);
  });

  // The control for "runs nothing" above: the same mutation, sent properly, is recorded.
  test('the same mutation POSTed as JSON is recorded', async () => {
    const before = await unitCount();
    const r = await post(JSON.stringify({ query: REGISTER }), { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE });
    expect(r.json.errors).toBeUndefined();
    expect(r.json.data.registerUnit.unit.id).toEqual(expect.any(String));
    expect(await unitCount()).toBe(before + 1);
  });
});
