/**
 * Hardening over real HTTP on loopback: unexpected errors masked and logged
 * with their stack and request id; a token budget before parsing, smaller
 * without a token; text inputs that refuse control, unpaired-surrogate and
 * bidi-override characters; refused tokens counted against the rate limit;
 * and `/metrics` for operators only, or on a listener of its own.
 */
import { GraphQLError } from 'graphql';
import { issueToken } from '../../src/auth/tokens';
import type { Role } from '../../src/auth/principal';
import { formatError, withRequestId } from '../../src/graphql/errors';
import { listen, type Listening } from '../../src/http';
import { REGISTER_UNIT, kharazmiUnit } from '../api/operations';
import { startTestApp, type TestApp } from '../support/app';
import { jsonOrRaw } from '../support/http';
import { testTokenOptions } from '../support/live';

const SECRET = 'hardening-test-secret-0123456789abcdefghij';
const KEYS = { issuer: 'tashil', audience: 'tashil-api', secret: new TextEncoder().encode(SECRET) };

type Line = { msg: string } & Record<string, unknown>;

const serve = async (env: Record<string, string> = {}): Promise<{ t: TestApp; http: Listening; lines: Line[] }> => {
  const lines: Line[] = [];
  const log = (msg: string, fields: Record<string, unknown> = {}) => void lines.push({ msg, ...fields });
  const t = await startTestApp({ env: { TASHIL_JWT_SECRET: SECRET, PORT: '0', ...env }, log });
  return { t, http: await listen(t.app, log), lines };
};

const stop = async (s: { t: TestApp; http: Listening }): Promise<void> => {
  await s.http.close();
  await s.t.close();
};

const post = async (http: Listening, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(http.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: jsonOrRaw(text), text, headers: response.headers };
};

const bearer = async (roles: Role[] = ['ADMIN'], subject = 'alice') =>
  ({ authorization: `Bearer ${await issueToken(KEYS, testTokenOptions({ subject, roles }))}` });

/** A document of exactly `tokens` lexical tokens: `{`, `__typename`s, `}` (it parses; validation may refuse it). */
const documentOf = (tokens: number): string => `{ ${Array.from({ length: tokens - 2 }, () => '__typename').join(' ')} }`;
/** The same in short tokens, for a GET's URL. */
const shortDocumentOf = (tokens: number): string => `{ ${Array.from({ length: tokens - 2 }, () => 'a').join(' ')} }`;
/** Whether the answer is the token budget's refusal. */
const refusedForTokens = (r: { status: number; json: any }): boolean =>
  r.status === 400 && r.json.errors?.[0]?.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /tokens/.test(r.json.errors[0].message);

describe('unexpected errors', () => {
  test('formatError masks a plain Error as INTERNAL_SERVER_ERROR "internal error" and logs its stack and request id', () => {
    const logged: Line[] = [];
    const format = formatError((msg, fields) => logged.push({ msg, ...fields }));
    const boom = new Error('SQLITE_ERROR: no such table: secret_internal_table');
    // What Apollo gives formatError for a resolver that threw it.
    const wrapped = new GraphQLError(boom.message, { originalError: boom, path: ['units'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const result = withRequestId('req-42', () => format(wrapped.toJSON(), wrapped));
    expect(result.message).toBe('internal error');
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(result)).not.toContain('secret_internal_table');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'unexpected error', requestId: 'req-42', path: 'units', error: boom.message });
    expect(logged[0]!.stack).toBe(boom.stack);
    expect(String(logged[0]!.stack)).toMatch(/hardening\.int\.test\.ts/);
  });

  describe('over HTTP', () => {
    let s: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => (s = await serve()));
    afterAll(async () => stop(s));

    test('a resolver that throws: the client sees "internal error", the log has the stack under the response\'s x-request-id', async () => {
      const reader = s.t.app.runtime.reader.bind(s.t.app.runtime);
      s.t.app.runtime.reader = ((name: string) => {
        if (name === 'search') throw new Error('disk I/O error at /var/lib/tashil/projections/search.sqlite');
        return reader(name);
      }) as typeof s.t.app.runtime.reader;
      try {
        const r = await post(s.http, { query: '{ search(text: "کفش") { id } }' }, { ...(await bearer()), 'x-request-id': 'hardening-req-1' });
        expect(r.json.errors).toHaveLength(1);
        expect(r.json.errors[0].message).toBe('internal error');
        expect(r.json.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
        expect(r.text).not.toMatch(/disk I\/O|\/var\/lib|sqlite/i);
        expect(r.headers.get('x-request-id')).toBe('hardening-req-1');
        const line = s.lines.find((l) => l.msg === 'unexpected error');
        expect(line).toMatchObject({ requestId: 'hardening-req-1', path: 'search', error: expect.stringContaining('disk I/O error') });
        expect(String(line!.stack)).toMatch(/^Error: disk I\/O error[\s\S]*\n\s+at /);
      } finally {
        s.t.app.runtime.reader = reader;
      }
    });
  });
});

describe('token budget before parsing', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => (s = await serve({ TASHIL_RATE_LIMIT_PER_MINUTE: '100000' })));
  afterAll(async () => stop(s));

  test('without a token, a document over 1,000 tokens is a 400 GRAPHQL_PARSE_FAILED naming the limit; a small one is answered', async () => {
    expect((await post(s.http, { query: '{ __typename }' })).json.data.__typename).toBe('Query');
    expect(refusedForTokens(await post(s.http, { query: documentOf(1000) }))).toBe(false);
    const r = await post(s.http, { query: documentOf(1001) });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.json.errors[0].message).toMatch(/more than 1000 tokens/);
    expect(r.json.errors[0].message).toMatch(/TASHIL_MAX_TOKENS_ANONYMOUS/);
  });

  test('the same over GET', async () => {
    const url = `${s.http.url}?query=${encodeURIComponent(shortDocumentOf(2000))}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    const json = (await response.json()) as any;
    expect(json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(json.errors[0].message).toMatch(/more than 1000 tokens/);
  });

  test('an anonymous near-1 MiB document is refused quickly, with the server still serving', async () => {
    const big = documentOf(95_000);
    expect(big.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const r = await post(s.http, { query: big });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    // Counting stops at the budget: nowhere near the parse and validation of 95,000 tokens.
    expect(Date.now() - started).toBeLessThan(250);
  });

  test('signed in, a document of 5,000 tokens is parsed; over 20,000 is a 400 GRAPHQL_PARSE_FAILED naming the limit', async () => {
    const headers = await bearer();
    expect(refusedForTokens(await post(s.http, { query: documentOf(5000) }, headers))).toBe(false);
    expect(refusedForTokens(await post(s.http, { query: documentOf(20_000) }, headers))).toBe(false);
    const r = await post(s.http, { query: documentOf(20_001) }, headers);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.json.errors[0].message).toMatch(/20000 tokens/);
  });

  test('the budgets come from TASHIL_MAX_TOKENS and TASHIL_MAX_TOKENS_ANONYMOUS', async () => {
    const small = await serve({ TASHIL_MAX_TOKENS: '300', TASHIL_MAX_TOKENS_ANONYMOUS: '50' });
    try {
      expect((await post(small.http, { query: documentOf(51) })).json.errors[0].message).toMatch(/more than 50 tokens/);
      const signedIn = await post(small.http, { query: documentOf(301) }, await bearer());
      expect(signedIn.status).toBe(400);
      expect(signedIn.json.errors[0].message).toMatch(/300 tokens/);
    } finally {
      await stop(small);
    }
  });
});

describe('text inputs', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let headers: Record<string, string>;
  beforeAll(async () => {
    s = await serve({ TASHIL_RATE_LIMIT_PER_MINUTE: '100000' });
    headers = await bearer();
  });
  afterAll(async () => stop(s));

  const register = (overrides: Record<string, unknown>) => post(s.http, { query: REGISTER_UNIT, variables: { input: kharazmiUnit(overrides) } }, headers);

  test.each([
    ['a right-to-left override (U+202E)', 'name', 'ابتکار\u202eکیتسالپ', 'U+202E'],
    ['a left-to-right embedding (U+202A)', 'name', '\u202aابتکار پلاستیک', 'U+202A'],
    ['a first-strong isolate (U+2068)', 'location', 'شهرک \u2068خوارزمی', 'U+2068'],
    ['NUL', 'sector', 'پلاستیک\u0000', 'U+0000'],
    ['a carriage return', 'location', 'شهرک\rخوارزمی', 'U+000D'],
    ['DEL', 'name', 'ابتکار\u007f', 'U+007F'],
    ['an unpaired high surrogate', 'name', 'ابتکار \ud83d', 'U+D83D'],
    ['an unpaired low surrogate', 'county', '\ude00پاکدشت', 'U+DE00'],
  ])('%s in a mutation is BAD_USER_INPUT naming the field', async (_what, field, value, shown) => {
    const r = await register({ [field]: value, nationalId: '10861230001' });
    expect(r.status).toBe(200);
    expect(r.json.data?.registerUnit ?? null).toBeNull();
    const error = r.json.errors[0];
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.fields).toEqual([{ field: `input.${field}`, messages: [expect.stringContaining(shown)] }]);
  });

  test('ZWNJ, RLM/LRM, paired surrogates (emoji), tab and newline stay allowed', async () => {
    const r = await register({ name: 'ابتکار\u200cپلاستیک \u200fسپاهان\u200e 🏭', location: 'شهرک صنعتی\tخوارزمی\nفاز ۲', nationalId: '10861230002' });
    expect(r.json.errors).toBeUndefined();
    expect(r.json.data.registerUnit.unit.name).toBe('ابتکار\u200cپلاستیک \u200fسپاهان\u200e 🏭');
  });

  test('a text that may be empty (an obstacle\'s description) is checked too', async () => {
    const unit = await register({ nationalId: '10861230003' });
    const unitId = unit.json.data.registerUnit.unit.id;
    const r = await post(
      s.http,
      {
        query: `mutation ($input: RaiseObstacleInput!) { raiseObstacle(input: $input) { obstacle { id } } }`,
        variables: { input: { unitId, title: 'قطعی برق', category: 'UTILITIES', description: 'شرح\u202e' } },
      },
      headers,
    );
    expect(r.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.json.errors[0].extensions.fields).toEqual([{ field: 'input.description', messages: [expect.stringContaining('U+202E')] }]);
  });

  test('search(text: "\\u0000") is BAD_USER_INPUT on `text`, not the full-text engine\'s message', async () => {
    const r = await post(s.http, { query: '{ search(text: "\\u0000") { id } }' }, headers);
    expect(r.json.errors).toHaveLength(1);
    expect(r.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.json.errors[0].extensions.fields).toEqual([{ field: 'text', messages: [expect.stringContaining('U+0000')] }]);
    expect(r.text).not.toMatch(/fts5|sqlite|syntax error/i);
  });

  test('a String filter of a list query is checked the same way', async () => {
    const r = await post(s.http, { query: 'query ($to: String) { commitments(madeTo: $to) { totalCount } }', variables: { to: 'کفش\u202e' } }, headers);
    expect(r.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.json.errors[0].extensions.fields).toEqual([{ field: 'madeTo', messages: [expect.stringContaining('U+202E')] }]);
  });
});

describe('refused tokens and the rate limit', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => (s = await serve({ TASHIL_RATE_LIMIT_PER_MINUTE: '3' })));
  afterAll(async () => stop(s));

  test('requests with a bad token count against their address: after the limit, 429 with Retry-After instead of 401', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await post(s.http, { query: '{ __typename }' }, { authorization: `Bearer not.a.jwt${i}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    expect(last!.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // The address's bucket is the anonymous one too; a valid token is its own actor's.
    expect((await post(s.http, { query: '{ __typename }' })).status).toBe(429);
    expect((await post(s.http, { query: '{ __typename }' }, await bearer())).status).toBe(200);
  });
});

describe('/metrics', () => {
  describe('on the main port', () => {
    let s: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => (s = await serve({ TASHIL_RATE_LIMIT_PER_MINUTE: '100000' })));
    afterAll(async () => stop(s));
    const metrics = (headers: Record<string, string> = {}) => fetch(new URL('/metrics', s.http.url), { headers });

    test('without a token: 401, and nothing of the metrics', async () => {
      const response = await metrics();
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.text()).not.toMatch(/tashil_/);
      expect(s.http.metricsUrl).toBeNull();
    });

    test('with a refused token: 401', async () => {
      expect((await metrics({ authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    });

    test.each([['VIEWER'], ['ANALYST'], ['SECRETARIAT']] as [Role][])('a %s token: 403', async (role) => {
      const response = await metrics(await bearer([role]));
      expect(response.status).toBe(403);
      expect(await response.text()).not.toMatch(/tashil_/);
    });

    test.each([['ADMIN'], ['OPERATOR']] as [Role][])('an %s token: the metrics', async (role) => {
      const response = await metrics(await bearer([role], 'ops'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/plain/);
      expect(await response.text()).toMatch(/^tashil_http_requests_total/m);
    });
  });

  describe('with TASHIL_METRICS_ADDRESS', () => {
    let s: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => (s = await serve({ TASHIL_METRICS_ADDRESS: '127.0.0.1:0' })));
    afterAll(async () => stop(s));

    test('served on its own address without a token, and not on the main port at all', async () => {
      expect(s.http.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(new URL(s.http.metricsUrl!).port).not.toBe(String(s.http.port));
      const own = await fetch(s.http.metricsUrl!);
      expect(own.status).toBe(200);
      expect(await own.text()).toMatch(/^# TYPE tashil_http_requests_total counter$/m);
      expect((await fetch(new URL('/graphql', s.http.metricsUrl!), { method: 'POST' })).status).toBe(404);
      const main = await fetch(new URL('/metrics', s.http.url), { headers: await bearer() });
      expect(main.status).toBe(404);
      expect(await main.text()).not.toMatch(/tashil_/);
    });
  });
});
