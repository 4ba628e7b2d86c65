/**
 * The hardened endpoint over real HTTP: tokens (HS256 and a JWKS of RS256 /
 * ES256 keys served on loopback), abuse (depth, aliases, page size, body
 * size, batches, rate) refused with clear errors while the server keeps
 * serving, and no internals in any error.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { issueToken } from '../../src/auth/tokens';
import { listen, type Listening } from '../../src/http';
import { silentLog } from '../../src/log';
import { startTestApp, type TestApp } from '../support/app';
import { jsonOrRaw } from '../support/http';
import { testTokenOptions } from '../support/live';

const SECRET = 'endpoint-test-secret-0123456789abcdefghij';
const KEYS = { issuer: 'tashil', audience: 'tashil-api', secret: new TextEncoder().encode(SECRET) };

const serve = async (env: Record<string, string> = {}): Promise<{ t: TestApp; http: Listening }> => {
  const t = await startTestApp({ env: { TASHIL_JWT_SECRET: SECRET, PORT: '0', ...env } });
  return { t, http: await listen(t.app, silentLog) };
};

const post = async (http: Listening, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(http.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const json = jsonOrRaw(text);
  return { status: response.status, json, headers: response.headers };
};

const bearer = async (overrides: Partial<Parameters<typeof issueToken>[1]> = {}) =>
  ({ authorization: `Bearer ${await issueToken(KEYS, testTokenOptions({ subject: 'alice', roles: ['ADMIN'], ...overrides }))}` });

const PING = { query: '{ units(first: 1) { totalCount } }' };
const expectServing = async (http: Listening) => {
  const r = await post(http, PING, await bearer());
  expect(r.status).toBe(200);
  expect(r.json.data.units.totalCount).toBeGreaterThanOrEqual(0);
};
const noInternals = (json: any) => expect(JSON.stringify(json)).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+|\bat [\w.<>]+ \(/);

describe('tokens', () => {
  let t: TestApp;
  let http: Listening;
  beforeAll(async () => ({ t, http } = await serve()));
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  test('a valid HS256 token is accepted', async () => {
    await expectServing(http);
  });

  test('no token: UNAUTHENTICATED', async () => {
    const r = await post(http, PING);
    expect(r.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test.each([
    ['expired', async () => bearer({ expiresIn: -60 })],
    ['wrongly signed', async () => ({ authorization: `Bearer ${await issueToken({ ...KEYS, secret: new TextEncoder().encode('another-secret-another-secret-another') }, { subject: 'mallory', roles: ['ADMIN'] })}` })],
    ['for another audience', async () => ({ authorization: `Bearer ${await issueToken({ ...KEYS, audience: 'someone-else' }, { subject: 'alice', roles: ['ADMIN'] })}` })],
    ['from another issuer', async () => ({ authorization: `Bearer ${await issueToken({ ...KEYS, issuer: 'evil' }, { subject: 'alice', roles: ['ADMIN'] })}` })],
    ['not a JWT', async () => ({ authorization: 'Bearer not.a.jwt' })],
    ['not a bearer', async () => ({ authorization: 'Basic YWxpY2U6c2VjcmV0' })],
    ['unsigned (alg none)', async () => ({ authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["ADMIN"],"iss":"tashil","aud":"tashil-api","exp":9999999999}').toString('base64url')}.` })],
  ])('a token %s is refused with 401 UNAUTHENTICATED', async (_why, headers) => {
    const r = await post(http, PING, await headers());
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(r.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    noInternals(r.json);
    await expectServing(http);
  });

  test('a token accepted a moment ago is refused once it has expired (verified tokens are remembered, never past their expiry)', async () => {
    const token = await issueToken(KEYS, { subject: 'alice', roles: ['ADMIN'], expiresIn: 4 }); // iat is whole seconds: at least 3 s to be accepted twice on a loaded machine
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    const headers = { authorization: `Bearer ${token}` };
    expect((await post(http, PING, headers)).status).toBe(200);
    expect((await post(http, PING, headers)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    const r = await post(http, PING, headers);
    expect(r.status).toBe(401);
    expect(r.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('two tokens of the same subject with different roles each keep their own roles', async () => {
    const admin = await bearer({ roles: ['ADMIN'] });
    const viewer = await bearer({ roles: ['VIEWER'] });
    const mutation = { query: 'mutation { scheduleMeeting(input: { province: "تهران", county: "پاکدشت", title: "x", scheduledAt: "2030-01-01T00:00:00Z", venue: "x", chair: "x" }) { revision } }' };
    expect((await post(http, PING, admin)).status).toBe(200);
    expect((await post(http, mutation, viewer)).json.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await post(http, PING, admin)).status).toBe(200);
  });

  test('roles a token claims that the product does not know are ignored', async () => {
    const mutation = { query: 'mutation { scheduleMeeting(input: { province: "تهران", county: "پاکدشت", title: "x", scheduledAt: "2030-01-01T00:00:00Z", venue: "x", chair: "x" }) { revision } }' };
    const r = await post(http, mutation, await bearer({ roles: ['SUPERUSER' as never, 'VIEWER'] }));
    expect(r.json.errors[0].extensions.code).toBe('FORBIDDEN');
    // A token whose only roles are unknown is refused outright: a missing claim never widens, nor passes as "no roles".
    const unknownOnly = await post(http, mutation, await bearer({ roles: ['SUPERUSER' as never] }));
    expect(unknownOnly.status).toBe(401);
  });
});

describe('tokens from an identity provider (JWKS)', () => {
  let jwks: Server;
  let t: TestApp;
  let http: Listening;
  const rsa = generateKeyPair('RS256');
  const ec = generateKeyPair('ES256');

  beforeAll(async () => {
    const keys = await Promise.all([rsa, ec].map(async (pair, i) => ({ ...(await exportJWK((await pair).publicKey)), kid: `k${i}`, alg: i ? 'ES256' : 'RS256' })));
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    ({ t, http } = await serve({ TASHIL_JWT_SECRET: '', TASHIL_JWKS_URL: url }));
  });
  afterAll(async () => {
    await http.close();
    await t.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  type Pair = Awaited<ReturnType<typeof generateKeyPair>>;
  const sign = async (alg: 'RS256' | 'ES256', kid: string, pair: Promise<Pair>) =>
    new SignJWT({ roles: ['VIEWER'], province: 'تهران' })
      .setProtectedHeader({ alg, kid })
      .setSubject('idp-user')
      .setIssuer('tashil')
      .setAudience('tashil-api')
      .setExpirationTime('5m')
      .sign((await pair).privateKey);

  test.each([
    ['RS256', 'k0'],
    ['ES256', 'k1'],
  ] as const)('an %s token signed by the provider is accepted', async (alg, kid) => {
    const token = await sign(alg, kid, alg === 'RS256' ? rsa : ec);
    const r = await post(http, PING, { authorization: `Bearer ${token}` });
    expect(r.json.errors).toBeUndefined();
  });

  test('an HS256 token is refused when keys come from a JWKS (no algorithm confusion)', async () => {
    const r = await post(http, PING, await bearer());
    expect(r.status).toBe(401);
  });
});

describe('abuse', () => {
  let t: TestApp;
  let http: Listening;
  beforeAll(async () => ({ t, http } = await serve({ TASHIL_RATE_LIMIT_PER_MINUTE: '100000' })));
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  test('a deeply nested query is refused before it runs', async () => {
    let inner = 'id';
    for (let i = 0; i < 20; i++) inner = `unit { obstacles { edges { node { ${inner} } } } }`;
    const r = await post(http, { query: `{ obstacles { edges { node { ${inner} } } } }` }, await bearer());
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.json.errors[0].message).toMatch(/depth/i);
    await expectServing(http);
  });

  // 1,500 aliases: 16,500 tokens, under the signed-in token budget (20,000), so the alias limit is what refuses it.
  test('a query with thousands of aliases is refused', async () => {
    const aliases = Array.from({ length: 1500 }, (_, i) => `a${i}: units(first: 1) { totalCount }`).join(' ');
    const r = await post(http, { query: `{ ${aliases} }` }, await bearer());
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/alias/i);
    await expectServing(http);
  });

  test('an expensive query is refused by its cost', async () => {
    const r = await post(
      http,
      { query: `{ a: units(first: 100) { edges { node { history(first: 100) { edges { node { summary } } } obstacles(first: 100) { edges { node { resolutions { text meeting { agenda { note } attendees { name } resolutions { text } } } } } } } } } b: obstacles(first: 100) { edges { node { unit { history(first: 100) { edges { node { summary } } } } } } } }` },
      await bearer(),
    );
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/cost/i);
    await expectServing(http);
  });

  test('a huge page size is refused: by its cost before it runs, or past the maximum page size', async () => {
    const huge = await post(http, { query: '{ units(first: 1000000) { totalCount } }' }, await bearer());
    expect(huge.json.errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, message: expect.stringMatching(/cost/i) });
    const over = await post(http, { query: '{ units(first: 101) { totalCount } }' }, await bearer());
    expect(over.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first', messages: [expect.any(String)] }] });
    await expectServing(http);
  });

  test('an oversized body is refused with 413 before it is parsed', async () => {
    const r = await post(http, { query: `{ units { totalCount } }`, variables: { padding: 'x'.repeat(2 * 1024 * 1024) } }, await bearer());
    expect(r.status).toBe(413);
    await expectServing(http);
  });

  test('a batch of operations is refused', async () => {
    const r = await post(http, [PING, PING], await bearer());
    expect(r.status).toBe(400);
    noInternals(r.json);
    await expectServing(http);
  });

  test('a GET without a CSRF preflight header is refused', async () => {
    const r = await fetch(`${http.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/CSRF|preflight/i);
  });

  test('an unknown field gets no "did you mean" hint when introspection is off', async () => {
    const off = await serve({ TASHIL_INTROSPECTION: 'false' });
    try {
      const typo = await post(off.http, { query: '{ unitz { totalCount } }' }, await bearer());
      expect(typo.json.errors[0].message).not.toMatch(/Did you mean/);
      const introspection = await post(off.http, { query: '{ __schema { types { name } } }' }, await bearer());
      expect(introspection.json.errors[0].message).toMatch(/introspection/i);
    } finally {
      await off.http.close();
      await off.t.close();
    }
  });
});

test('requests over the per-actor rate get 429 with Retry-After; other actors are unaffected', async () => {
  const { t, http } = await serve({ TASHIL_RATE_LIMIT_PER_MINUTE: '5' });
  try {
    const alice = await bearer({ subject: 'alice' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(http, PING, alice)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await post(http, PING, alice);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect((await post(http, PING, await bearer({ subject: 'bob' }))).status).toBe(200);
  } finally {
    await http.close();
    await t.close();
  }
});
