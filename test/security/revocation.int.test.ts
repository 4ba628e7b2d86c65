/**
 * Revoking tokens before they expire, over the real HTTP server and real
 * graphql-ws clients: a revoked token is UNAUTHENTICATED from the next request
 * (cached answers included), its open WebSocket connections are closed, a token
 * issued afterwards works, revocations survive a restart, and one appended by
 * another process (another connection to the same store file) is enforced here.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { AccessCommands } from '../../src/commands/access';
import { RevocationList } from '../../src/auth/revocations';
import { EVENTS_FILE } from '../../src/config';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { kharazmiUnit, RAISE_OBSTACLE, REGISTER_UNIT, REVOKE_TOKENS } from '../api/operations';
import { ADMIN, tempDir } from '../support/app';
import { eventually, startLiveServer, subscribe, type LiveServer } from '../support/live';

const ME = `{ units(first: 1) { totalCount } }`;
const LIST = `query ($subject: String!) { tokenRevocations(subject: $subject) { subject tokenId reason revokedAt revokedBy } }`;
const OBSTACLES_CHANGED = `subscription { obstacleChanged { id title } }`;

let live: LiveServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir('tashil-revocation-');
  live = await startLiveServer({ dataDir });
});
afterAll(async () => {
  await live.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const code = (result: { errors?: any[] }): string | undefined => result.errors?.[0]?.extensions?.code;
/** A second, so that a token issued now has an `iat` after a revocation made before. */
const nextSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_100 - (Date.now() % 1000)));
const secretariat = (subject: string) => live.token({ subject, roles: ['SECRETARIAT'], province: 'تهران', counties: ['پاکدشت'] });
/** Revokes every token of `subject` through another process's connection to the same store file: this server learns of it by reading the store. */
const revokeElsewhere = async (subject: string): Promise<void> => {
  const other = createSqliteEventStore({ path: join(dataDir, EVENTS_FILE) });
  try {
    await new AccessCommands(other, new RevocationList()).revokeTokens({ subject, reason: 'ترک خدمت' }, { principal: ADMIN, now: new Date() });
  } finally {
    await other.close();
  }
};

test('revoking every token of a person: each is UNAUTHENTICATED from the next request, cached answers included; a token issued afterwards works; others are untouched', async () => {
  const first = await secretariat('dabir-left');
  const second = await secretariat('dabir-left');
  const colleague = await secretariat('dabir-stays');
  const units = ME;
  // Twice, so that the second answer comes from the response cache.
  for (let i = 0; i < 2; i++) expect(code(await live.gql(units, {}, first))).toBeUndefined();
  const hits = async (): Promise<number> => Number(/tashil_response_cache_total\{result="hit"\} (\d+)/.exec(await (await fetch(live.http.url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${await live.token()}` } })).text())?.[1] ?? 0);
  expect(await hits()).toBeGreaterThan(0);

  const revoked = await live.ok(REVOKE_TOKENS, { input: { subject: 'dabir-left', reason: 'انتقال به استان دیگر' } });
  expect(revoked.revokeTokens.revocation).toMatchObject({ subject: 'dabir-left', tokenId: null, reason: 'انتقال به استان دیگر', revokedBy: 'live-admin' });

  for (const token of [first, second]) {
    const refused = await live.gql(units, {}, token);
    expect(code(refused)).toBe('UNAUTHENTICATED');
    expect(refused.errors![0].message).toMatch(/revoked/);
  }
  expect(code(await live.gql(units, {}, colleague))).toBeUndefined();
  await nextSecond();
  expect(code(await live.gql(units, {}, await secretariat('dabir-left')))).toBeUndefined();
});

test('revoking one token by its id leaves the person’s other tokens working; revoking it again records nothing and answers with the first revocation', async () => {
  const leaked = await secretariat('dabir-leaked');
  const other = await secretariat('dabir-leaked');
  const tokenId = decodeJwt(leaked).jti!;
  const input = { subject: 'dabir-leaked', tokenId, reason: 'توکن در گروه پیام‌رسان دیده شد' };
  const first = (await live.ok(REVOKE_TOKENS, { input })).revokeTokens;
  expect(code(await live.gql(ME, {}, leaked))).toBe('UNAUTHENTICATED');
  expect(code(await live.gql(ME, {}, other))).toBeUndefined();

  const head = await live.t.app.store.headPosition();
  const again = (await live.ok(REVOKE_TOKENS, { input: { ...input, reason: 'دوباره' } })).revokeTokens;
  expect(await live.t.app.store.headPosition()).toBe(head);
  expect(again.revocation).toEqual(first.revocation);
});

test('an open WebSocket signed in with a revoked token is closed with 4401; one signed in with another token keeps running', async () => {
  const doomed = await live.token({ subject: 'watcher-doomed', roles: ['VIEWER'] });
  const kept = await live.token({ subject: 'watcher-kept', roles: ['VIEWER'] });
  const doomedSub = subscribe(live.client({ token: doomed }), OBSTACLES_CHANGED);
  const keptSub = subscribe(live.client({ token: kept }), OBSTACLES_CHANGED);
  await eventually(() => live.t.app.live.listenerCount === 2, 'both subscriptions open');

  await live.ok(REVOKE_TOKENS, { input: { subject: 'watcher-doomed', reason: 'ترک خدمت' } });
  const ended = (await doomedSub.ended) as { code: number; reason: string };
  expect({ code: ended.code, reason: ended.reason }).toEqual({ code: 4401, reason: 'Unauthorized: the token was revoked' });
  // The other connection is still subscribed: an obstacle raised now reaches it.
  const unitId = (await live.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10861234567' }) })).registerUnit.unit.id as string;
  await live.ok(RAISE_OBSTACLE, { input: { unitId, title: 'قطعی گاز', category: 'UTILITIES' } });
  expect((await keptSub.nth(1)).data).toHaveProperty('obstacleChanged');
  keptSub.unsubscribe();
});

test('tokenRevocations lists a person’s revocations with who made them, for ADMIN and AUDITOR only', async () => {
  await live.ok(REVOKE_TOKENS, { input: { subject: 'dabir-listed', reason: 'ترک خدمت' } });
  const auditor = await live.token({ subject: 'auditor-1', roles: ['AUDITOR'] });
  const { data } = await live.gql(LIST, { subject: 'dabir-listed' }, auditor);
  expect(data.tokenRevocations).toEqual([
    { subject: 'dabir-listed', tokenId: null, reason: 'ترک خدمت', revokedAt: expect.any(String), revokedBy: 'live-admin' },
  ]);
  for (const role of ['SECRETARIAT', 'CHAIR', 'AGENCY', 'ANALYST', 'VIEWER'] as const) {
    expect(code(await live.gql(LIST, { subject: 'dabir-listed' }, await live.token({ subject: `x-${role}`, roles: [role] })))).toBe('FORBIDDEN');
  }
});

test('a revocation appended by another process is enforced here, and every revocation survives a restart', async () => {
  const token = await secretariat('dabir-elsewhere');
  expect(code(await live.gql(ME, {}, token))).toBeUndefined();
  await revokeElsewhere('dabir-elsewhere');
  await eventually(async () => code(await live.gql(ME, {}, token)) === 'UNAUTHENTICATED', 'the other process’s revocation enforced here');

  const leftEarlier = await secretariat('dabir-restart');
  await live.ok(REVOKE_TOKENS, { input: { subject: 'dabir-restart', reason: 'ترک خدمت' } });
  await live.close();
  live = await startLiveServer({ dataDir });
  for (const stale of [token, leftEarlier]) expect(code(await live.gql(ME, {}, stale))).toBe('UNAUTHENTICATED');
});

test('another process’s revocation is enforced even while every projection is paused: it never waits for a read model', async () => {
  const token = await secretariat('dabir-paused');
  expect(code(await live.gql(ME, {}, token))).toBeUndefined();
  const names = (await live.t.app.runtime.status()).map((p) => p.name);
  for (const name of names) live.t.app.runtime.pause(name);
  try {
    await revokeElsewhere('dabir-paused');
    await eventually(async () => code(await live.gql(ME, {}, token)) === 'UNAUTHENTICATED', 'the revocation enforced with every projection paused');
    expect((await live.t.app.runtime.status()).every((p) => p.state === 'PAUSED')).toBe(true);
  } finally {
    for (const name of names) await live.t.app.runtime.resume(name);
  }
});

test('a person’s access is audited like a case: its trail, replay and state for ADMIN and AUDITOR; FORBIDDEN to the roles that may audit cases', async () => {
  await live.ok(REVOKE_TOKENS, { input: { subject: 'dabir-audited', reason: 'پایان مأموریت' } });
  const auditor = await live.token({ subject: 'auditor-1', roles: ['AUDITOR'] });
  const TRAIL = `{ auditTrail(kind: ACCESS, id: "dabir-audited") { totalCount edges { node { type actor command reason data hash } } } }`;
  const REPLAY = `{ replay(kind: ACCESS, id: "dabir-audited") { edges { node { state changes { path } } } } }`;
  const STATE = `{ stateAsOf(kind: ACCESS, id: "dabir-audited") { streamName exists state } }`;

  const trail = await live.gql(TRAIL, {}, auditor);
  expect(trail.errors).toBeUndefined();
  expect(trail.data.auditTrail.totalCount).toBe(1);
  expect(trail.data.auditTrail.edges[0].node).toMatchObject({
    type: 'TokensRevoked',
    actor: 'live-admin',
    command: 'RevokeTokens',
    data: { subject: 'dabir-audited', tokenId: null, reason: 'پایان مأموریت' },
    hash: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  const replayed = await live.gql(REPLAY, {}, auditor);
  expect(replayed.data.replay.edges[0].node.state).toMatchObject({ revokedThrough: expect.any(String), tokenIds: [] });
  expect((await live.gql(STATE, {}, auditor)).data.stateAsOf).toMatchObject({ streamName: 'access-dabir-audited', exists: true });
  expect((await live.gql(STATE)).errors).toBeUndefined(); // the administrator

  for (const roles of [['SECRETARIAT'], ['CHAIR']] as const) {
    const token = await live.token({ subject: `curious-${roles[0]}`, roles: [...roles], province: 'تهران', counties: ['پاکدشت'] });
    for (const query of [TRAIL, REPLAY, STATE]) {
      const refused = await live.gql(query, {}, token);
      expect(code(refused)).toBe('FORBIDDEN');
      expect(refused.data?.auditTrail ?? refused.data?.replay ?? refused.data?.stateAsOf ?? null).toBeNull();
    }
  }
});
