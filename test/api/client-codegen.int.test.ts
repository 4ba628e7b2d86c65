/**
 * The typed client example in docs/client/: its generated code matches the
 * committed schema and operations (regenerated here into a temp folder), it
 * type-checks (the schema's types refuse wrong calls), and it works against a
 * real server on a loopback port.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { GENERATED_DIR } from '../../docs/client/codegen';
import { createClient, TashilError } from '../../docs/client/client';
import { allUnitsOf, caseWithResolutions, explain, raiseBankingObstacle } from '../../docs/client/example';
import { listen, type Listening } from '../../src/http';
import { silentLog } from '../../src/log';
import { startTestApp, tempDir, type TestApp } from '../support/app';
import { TEST_JWT_SECRET, tokenFor } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');
const CLIENT_DIR = join(ROOT, 'docs', 'client');

const filesIn = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

test('the generated client is up to date with schema/schema.graphql and the operations', async () => {
  const out = tempDir('tashil-codegen-');
  try {
    // The CLI `npm run codegen` runs (it is ESM, which Jest cannot load), with the same config aimed at a temp folder.
    const config = join(out, 'codegen.ts');
    writeFileSync(
      config,
      `import base, { GENERATED_DIR } from ${JSON.stringify(join(CLIENT_DIR, 'codegen'))};\n` +
        `export default { ...base, generates: { ${JSON.stringify(`${out}/generated/`)}: base.generates[GENERATED_DIR] } };\n`,
    );
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js'), '--config', config, '--silent'], { cwd: ROOT });
    const fresh = filesIn(join(out, 'generated'));
    const committed = filesIn(join(ROOT, GENERATED_DIR));
    const stale = Object.keys({ ...fresh, ...committed }).filter((name) => fresh[name] !== committed[name]);
    expect({ stale, fix: 'run npm run codegen and commit docs/client/generated' }).toEqual({ stale: [], fix: expect.any(String) });
    expect(Object.keys(fresh)).toEqual(expect.arrayContaining(['graphql.ts']));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);

test('the example type-checks, and the types refuse calls that do not fit the schema', () => {
  const configFile = ts.readConfigFile(join(CLIENT_DIR, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, CLIENT_DIR);
  expect(parsed.fileNames.map((f) => f.slice(CLIENT_DIR.length + 1)).sort()).toEqual(
    expect.arrayContaining(['client.ts', 'example.ts', 'type-safety.ts', 'generated/graphql.ts']),
  );
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  // type-safety.ts holds @ts-expect-error lines: each must still be an error, or this reports it.
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
}, 120_000);

describe('the example against a real server', () => {
  let t: TestApp;
  let http: Listening;
  let unitId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TASHIL_JWT_SECRET: TEST_JWT_SECRET, PORT: '0' } });
    http = await listen(t.app, silentLog);
    const registered = await t.ok(
      `mutation { registerUnit(input: { name: "کفش ملی اسلامشهر", nationalId: "10100000555", sector: "کفش", province: "تهران", county: "اسلامشهر", location: "شهرک صنعتی", activityStatus: SEMI_ACTIVE }) { unit { id } } }`,
    );
    unitId = registered.registerUnit.unit.id;
  });
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  const clientAs = (roles: ('SECRETARIAT' | 'VIEWER')[], subject = 'dabir-eslamshahr') =>
    createClient({ url: http.url, token: () => tokenFor({ subject, roles, province: 'تهران', counties: ['اسلامشهر'] }) });

  test('lists a county\'s units, raises an obstacle (a retry records nothing new) and shows the case', async () => {
    const execute = clientAs(['SECRETARIAT']);
    expect(await allUnitsOf(execute, 'اسلامشهر')).toEqual([
      { id: unitId, name: 'کفش ملی اسلامشهر', county: 'اسلامشهر', activityStatus: 'SEMI_ACTIVE', openObstacleCount: 0 },
    ]);
    const raised = await raiseBankingObstacle(execute, unitId, 'امهال تسهیلات بانک ملی', 'client-example-1');
    expect(raised).toMatchObject({ replayed: false, obstacle: { title: 'امهال تسهیلات بانک ملی', status: 'OPEN', category: 'BANKING', priority: 'URGENT' } });
    expect(raised.obstacle.raisedAtJalali).toMatch(/^1[34]\d\d\/\d\d\/\d\d/);
    const retried = await raiseBankingObstacle(execute, unitId, 'امهال تسهیلات بانک ملی', 'client-example-1');
    expect(retried).toMatchObject({ replayed: true, obstacle: { id: raised.obstacle.id } });

    expect(await caseWithResolutions(execute, raised.obstacle.id)).toMatchObject({
      id: raised.obstacle.id,
      status: 'OPEN',
      unit: { id: unitId, name: 'کفش ملی اسلامشهر' },
      resolutions: [],
    });
    expect((await allUnitsOf(execute, 'اسلامشهر'))[0]!.openObstacleCount).toBe(1);
  });

  test('errors arrive as TashilError with their code and request id, and explain() words them for a user', async () => {
    const viewer = clientAs(['VIEWER'], 'nazer');
    const refused = await raiseBankingObstacle(viewer, unitId, 'x', 'client-example-2').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TashilError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', requestId: expect.stringMatching(/\S/) });
    expect(explain(refused)).toBe('you may not do this');

    const blank = await raiseBankingObstacle(clientAs(['SECRETARIAT']), unitId, '   ', 'client-example-3').catch((error: unknown) => error);
    expect(blank).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(explain(blank)).toBe('please correct: input.title');

    const expired = createClient({ url: http.url, token: () => tokenFor({ subject: 'x', roles: ['VIEWER'], expiresIn: -60 }) });
    const signedOut = await allUnitsOf(expired, 'اسلامشهر').catch((error: unknown) => error);
    expect(signedOut).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(explain(signedOut)).toBe('please sign in again');
  });
});
