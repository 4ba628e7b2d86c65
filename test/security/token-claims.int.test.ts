/**
 * Tokens fail closed: a claim a role needs and the token lacks refuses the
 * token (UNAUTHENTICATED, naming the claim); it never widens what it may do.
 * Each token is sent over real HTTP, as a client would.
 */
import { SignJWT } from 'jose';
import { issueToken } from '../../src/auth/tokens';
import { startTestApp } from '../support/app';
import { startLiveServer, type LiveServer } from '../support/live';

let s: LiveServer;
beforeAll(async () => {
  s = await startLiveServer();
});
afterAll(async () => {
  await s.close();
});
const t = {
  get app() {
    return s.t.app;
  },
};

const sign = (claims: Record<string, unknown>, times: { iat?: number; exp?: number } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('someone')
    .setIssuer(t.app.tokens.issuer)
    .setAudience(t.app.tokens.audience)
    .setExpirationTime(times.exp ?? now + 3600);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  else jwt.setIssuedAt();
  return jwt.sign(t.app.tokens.secret!);
};
/** What the endpoint answers a request carrying `token`: UNAUTHENTICATED, and the message (naming the claim). */
const refusal = async (token: string) => {
  const { errors } = await s.gql(`{ units(first: 1) { totalCount } }`, {}, token);
  expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  return errors![0].message as string;
};
/** The principal a token's claims make, once the endpoint accepted it. */
const accepted = async (token: string) => {
  expect((await s.gql(`{ units(first: 1) { totalCount } }`, {}, token)).errors).toBeUndefined();
  return t.app.verifier.verify(token);
};

test('counties without a province are refused, not read as nationwide', async () => {
  expect(await refusal(await sign({ roles: ['SECRETARIAT'], counties: ['پاکدشت'] }))).toMatch(/no province claim/);
});

test('a placed role without a province is refused unless the token says national: true', async () => {
  expect(await refusal(await sign({ roles: ['VIEWER'] }))).toMatch(/no province claim/);
  expect((await accepted(await sign({ roles: ['VIEWER'], national: true }))).province).toBeNull();
  expect((await accepted(await sign({ roles: ['VIEWER'], province: 'تهران' }))).province).toBe('تهران');
});

test("an AGENCY token needs the agency's registry id; its name is not a principal", async () => {
  expect(await refusal(await sign({ roles: ['AGENCY'], agency: 'بانک ملی' }))).toMatch(/no agencyId claim/);
  expect((await accepted(await sign({ roles: ['AGENCY'], agencyId: 'a-1' }))).agencyId).toBe('a-1');
});

test('a token with no known role is refused', async () => {
  expect(await refusal(await sign({ roles: ['SUPERUSER'] }))).toMatch(/no roles claim/);
});

test('an iat in the future beyond the skew is refused; a lifetime over the maximum is refused', async () => {
  const now = Math.floor(Date.now() / 1000);
  expect(await refusal(await sign({ roles: ['ADMIN'] }, { iat: now + 600, exp: now + 3600 }))).toMatch(/issued in the future/);
  expect(await refusal(await sign({ roles: ['ADMIN'] }, { iat: now, exp: now + 31 * 24 * 3600 }))).toMatch(/longer than/);
  // Within the skew and the maximum: accepted.
  expect((await accepted(await sign({ roles: ['ADMIN'] }, { iat: now + 30, exp: now + 3600 }))).roles).toEqual(['ADMIN']);
});

test('the maximum lifetime is configurable', async () => {
  const short = await startTestApp({ env: { TASHIL_TOKEN_MAX_LIFETIME_HOURS: '1' } });
  try {
    const token = await issueToken(short.app.tokens, { subject: 'x', roles: ['ADMIN'], expiresIn: 2 * 3600 });
    await expect(short.app.verifier.verify(token)).rejects.toThrow(/longer than the 3600 s allowed/);
  } finally {
    await short.close();
  }
});

test('ANALYST may not pause, resume or rebuild projections; OPERATOR may', async () => {
  const pause = `mutation { pauseProjection(input: { name: "search" }) { name } }`;
  const analyst = await s.token({ subject: 'analyst', roles: ['ANALYST'], national: true });
  expect((await s.gql(pause, {}, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const operator = await s.token({ subject: 'operator', roles: ['OPERATOR'] });
  expect((await s.gql(pause, {}, operator)).errors).toBeUndefined();
  await t.app.runtime.resume('search');
});
