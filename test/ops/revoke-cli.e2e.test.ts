/**
 * `tashil revoke` as an operator runs it against the real server: the token is
 * refused from the next request, the operator is recorded as the one who
 * revoked it, one token can be revoked alone, and a caller who is not an
 * ADMIN, or a command missing its reason, changes nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { killAllServers, REPO_ROOT, startServer, TEST_JWT_SECRET, tokenFor, type ServerProcess } from '../support/server-process';

let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tashil-revoke-'));
  server = await startServer({ dataDir });
});
afterAll(async () => {
  await killAllServers();
  rmSync(dataDir, { recursive: true, force: true });
});

const tashil = (args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: '', TASHIL_DATA_DIR: dataDir, TASHIL_JWT_SECRET: TEST_JWT_SECRET, TASHIL_TOKEN: '', ...env },
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

const secretariat = (subject: string) => tokenFor({ subject, roles: ['SECRETARIAT'], province: 'تهران', counties: ['پاکدشت'] });
/** The error code a request with `token` gets, or undefined when it is answered. */
const refusal = async (token: string): Promise<string | undefined> =>
  (await server.gql('{ units(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` })).body.errors?.[0]?.extensions?.code;
const revocationsOf = async (subject: string) =>
  (await server.gql('query ($s: String!) { tokenRevocations(subject: $s) { tokenId reason revokedBy } }', { s: subject })).body.data.tokenRevocations;

test('revokes every token of a person on the running server, recorded with the operator as the one who did it', async () => {
  const token = await secretariat('dabir-left');
  expect(await refusal(token)).toBeUndefined();
  const operator = await tokenFor({ subject: 'ops-admin', roles: ['ADMIN'] });
  const run = await tashil(['revoke', '--subject', 'dabir-left', '--reason', 'انتقال به استان دیگر', '--url', server.url], { TASHIL_TOKEN: operator });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(run.stdout)).toMatchObject({ subject: 'dabir-left', tokenId: null, reason: 'انتقال به استان دیگر', revokedBy: 'ops-admin', position: expect.stringMatching(/^\d+$/) });
  expect(await refusal(token)).toBe('UNAUTHENTICATED');
  expect(await revocationsOf('dabir-left')).toEqual([{ tokenId: null, reason: 'انتقال به استان دیگر', revokedBy: 'ops-admin' }]);
});

test('--token-id revokes that one token; the person’s other tokens keep working (development: signed with the local key)', async () => {
  const [leaked, kept] = [await secretariat('dabir-leaked'), await secretariat('dabir-leaked')];
  const run = await tashil(['revoke', '--subject', 'dabir-leaked', '--token-id', decodeJwt(leaked).jti!, '--reason', 'توکن در گروه پیام‌رسان دیده شد', '--url', server.url]);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ tokenId: decodeJwt(leaked).jti, revokedBy: 'tashil-cli' });
  expect(await refusal(leaked)).toBe('UNAUTHENTICATED');
  expect(await refusal(kept)).toBeUndefined();
});

test('only an ADMIN may revoke, and a command without its reason is refused before it reaches the server: nothing is recorded', async () => {
  const victim = await secretariat('dabir-stays');
  const notAdmin = await tashil(['revoke', '--subject', 'dabir-stays', '--reason', 'آزمایش', '--url', server.url], { TASHIL_TOKEN: await secretariat('someone') });
  expect(notAdmin.code).toBe(1);
  expect(notAdmin.stderr).toMatch(/^tashil: FORBIDDEN: /);
  const noReason = await tashil(['revoke', '--subject', 'dabir-stays', '--url', server.url]);
  expect(noReason.code).toBe(1);
  expect(noReason.stderr).toMatch(/usage: tashil revoke --subject NAME --reason/);
  expect(await revocationsOf('dabir-stays')).toEqual([]);
  expect(await refusal(victim)).toBeUndefined();
});
