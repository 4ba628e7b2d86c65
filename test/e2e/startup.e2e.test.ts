/**
 * Start-up as an operator meets it: configuration errors stop the process
 * with one clear line and a non-zero exit; development mode generates its
 * own signing secret, and `tashil token` issues tokens the server accepts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTER_UNIT, kharazmiUnit } from '../api/operations';
import { killAllServers, REPO_ROOT, startServer } from '../support/server-process';

const dist = (file: string) => join(REPO_ROOT, 'dist', 'src', file);
const hermetic = (env: Record<string, string>): NodeJS.ProcessEnv => {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TASHIL_') && k !== 'NODE_ENV' && k !== 'EVENTSTORE_CONNECTION_STRING') clean[k] = v;
  return { ...clean, HOST: '127.0.0.1', PORT: '0', ...env };
};
const run = (file: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [dist(file), ...args], { cwd: REPO_ROOT, env: hermetic(env), encoding: 'utf8', timeout: 30_000 });

afterEach(killAllServers);

test.each([
  ['production without keys', { NODE_ENV: 'production' }, 2, /TASHIL_JWKS_URL .*TASHIL_JWT_SECRET/],
  ['an unknown store kind', { TASHIL_EVENT_STORE: 'mongo' }, 2, /TASHIL_EVENT_STORE must be "sqlite".*"esdb", got "mongo"/],
  ['a malformed EventStoreDB connection string', { TASHIL_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'http://x' }, 2, /EVENTSTORE_CONNECTION_STRING/],
  ['an unreachable EventStoreDB', { TASHIL_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false' }, 1, /cannot start on the esdb event store/],
  ['a short secret', { TASHIL_JWT_SECRET: 'short' }, 2, /at least 32 bytes/],
])('%s: one clear error and a non-zero exit', (_case, env, code, message) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashil-start-'));
  const result = run('main.js', [], { TASHIL_DATA_DIR: dataDir, ...env });
  expect(result.status).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
});

test('development mode: a generated secret, and `tashil token` issues tokens the server accepts with their jurisdiction', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashil-dev-'));
  const server = await startServer({ dataDir, env: { TASHIL_JWT_SECRET: undefined } });
  expect(server.logLines().some((l) => /development mode/.test(String(l.msg)))).toBe(true);
  const secretFile = join(dataDir, 'dev-jwt-secret');
  expect(existsSync(secretFile)).toBe(true);
  expect(statSync(secretFile).mode & 0o077).toBe(0); // readable by its owner only

  const token = run('cli.js', ['token', '--role', 'SECRETARIAT', '--subject', 'dabir-pakdasht', '--province', 'تهران', '--county', 'پاکدشت'], {
    TASHIL_DATA_DIR: dataDir,
  });
  expect(token.status).toBe(0);
  const headers = { authorization: `Bearer ${token.stdout.trim()}` };

  const inside = await server.gql(REGISTER_UNIT, { input: kharazmiUnit() }, headers);
  expect(inside.body.errors).toBeUndefined();
  const outside = await server.gql(REGISTER_UNIT, { input: kharazmiUnit({ county: 'اسلامشهر', nationalId: '10861234568' }) }, headers);
  expect(outside.body.errors[0].extensions.code).toBe('FORBIDDEN');

  const auditor = run('cli.js', ['token', '--role', 'AUDITOR', '--national', 'true'], { TASHIL_DATA_DIR: dataDir }).stdout.trim();
  const trail = await server.gql(
    `query ($id: ID!) { auditTrail(kind: UNIT, id: $id) { edges { node { actor } } } }`,
    { id: inside.body.data.registerUnit.unit.id },
    { authorization: `Bearer ${auditor}` },
  );
  expect(trail.body.data.auditTrail.edges).toEqual([{ node: { actor: 'dabir-pakdasht' } }]);
  expect(await server.stop()).toBe(0);

  const refused = run('cli.js', ['token', '--role', 'WIZARD'], { TASHIL_DATA_DIR: dataDir });
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/--role must be one of ADMIN, OPERATOR, SECRETARIAT/);
});
