/**
 * The response cache over real HTTP on a loopback port: a repeated query is
 * answered from memory, byte for byte, and never with anything a fresh
 * execution would not give — not after a write, not to another caller, not for
 * an answer with errors, not for what reads the clock or the event store.
 * Whether a request was served from the cache is read from its access log line
 * (`cached`), and the counters from `/metrics`.
 */
import { issueToken } from '../../src/auth/tokens';
import { listen, type Listening } from '../../src/http';
import type { Log } from '../../src/log';
import { startTestApp, type TestApp } from '../support/app';
import { AUDIT_TRAIL, COMMITMENT, COMMITMENTS, MAKE_COMMITMENT, RAISE_OBSTACLE, RECORD_VISIT, REGISTER_UNIT, UNIT_WITH_HISTORY, islamshahrVisit, kharazmiUnit } from './operations';
import { jsonOrRaw } from '../support/http';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
/** Web clients on two origins (TASHIL_CORS_ORIGINS): each must get its own origin back, from the cache too. */
const PANEL = 'https://panel.example.ir';
const LOCAL_UI = 'http://localhost:5173';
const UNITS = `query ($county: String) { units(county: $county, first: 50) { totalCount edges { cursor node { id name activityStatus openObstacleCount } } } }`;

/** The injected clock: a resolution or a promise becomes overdue by the clock alone, with no commit. */
let clock = new Date('2024-11-27T09:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

interface Server {
  t: TestApp;
  http: Listening;
  /** Access log lines (`request`), by request id. */
  access: Map<string, Record<string, unknown>>;
  /** The app's own log lines (audit access among them). */
  appLines: Record<string, unknown>[];
  token(subject: string, roles?: string[]): Promise<string>;
  /** An ADMIN's token, sent unless a request names another. */
  admin: string;
  close(): Promise<void>;
}

const startServer = async (env: Record<string, string> = {}): Promise<Server> => {
  const appLines: Record<string, unknown>[] = [];
  const access = new Map<string, Record<string, unknown>>();
  const appLog: Log = (msg, fields = {}) => appLines.push({ msg, ...fields });
  const t = await startTestApp({ env: { PORT: '0', TASHIL_RATE_LIMIT_PER_MINUTE: '100000', ...env }, now: () => clock, log: appLog });
  const http = await listen(t.app, (msg, fields = {}) => {
    if (msg === 'request') access.set(String(fields.requestId), fields);
  });
  const token = (subject: string, roles = ['ADMIN']) => issueToken(t.app.tokens, { subject, roles: roles as never, province: 'تهران' });
  return {
    t,
    http,
    access,
    appLines,
    token,
    admin: await token('cache-admin'),
    close: async () => {
      await http.close();
      await t.close();
    },
  };
};

let requests = 0;

interface Asked {
  status: number;
  text: string;
  json: any;
  headers: Headers;
  requestId: string;
  /** Served from the response cache (the access log says so). */
  cached: boolean;
}

interface AskOptions {
  token?: string | null;
  accept?: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
}

/** One request; waits for its access log line, which says whether it was a hit. */
const ask = async (server: Server, query: string, variables?: Record<string, unknown>, options: AskOptions = {}): Promise<Asked> => {
  const requestId = `cache-test-${++requests}`;
  const headers: Record<string, string> = { 'x-request-id': requestId, ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? server.admin}`;
  if (options.accept !== undefined) headers.accept = options.accept;
  let response: Response;
  if (options.method === 'GET') {
    const search = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
    response = await fetch(`${server.http.url}?${search}`, { headers });
  } else {
    headers['content-type'] = 'application/json';
    response = await fetch(server.http.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  }
  const text = await response.text();
  for (let waited = 0; !server.access.has(requestId) && waited < 2000; waited += 5) await new Promise((r) => setTimeout(r, 5));
  const line = server.access.get(requestId);
  if (!line) throw new Error(`no access log line for ${requestId}`);
  const json = jsonOrRaw(text);
  return { status: response.status, text, json, headers: response.headers, requestId, cached: line.cached === true };
};

/** `tashil_response_cache_total` by result, and the bytes gauge, from `/metrics`. */
const metrics = async (server: Server): Promise<{ hit: number; miss: number; store: number; bytes: number; text: string }> => {
  const text = await (await fetch(new URL('/metrics', server.http.url), { headers: { authorization: `Bearer ${server.admin}` } })).text();
  const count = (result: string) => Number(new RegExp(`tashil_response_cache_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss'), store: count('store'), bytes: Number(/tashil_response_cache_bytes (\d+)/.exec(text)?.[1] ?? 0), text };
};

/** Every projection at the store's head: nothing committed after this moves the read models' version. */
const settled = async (server: Server): Promise<void> => {
  await server.t.app.runtime.waitForPosition(await server.t.app.store.headPosition(), 10_000);
};

const ok = async (server: Server, query: string, variables?: Record<string, unknown>): Promise<any> => {
  const { json } = await ask(server, query, variables);
  if (json.errors) throw new Error(`unexpected errors: ${JSON.stringify(json.errors)}`);
  await settled(server);
  return json.data;
};

let nationalId = 10500000000;
const registerUnit = async (server: Server, overrides: Record<string, unknown> = {}): Promise<string> =>
  (await ok(server, REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(nationalId++), ...overrides }) })).registerUnit.unit.id;
const raiseObstacle = async (server: Server, unitId: string, title = 'امهال تسهیلات سرمایه در گردش'): Promise<string> =>
  (await ok(server, RAISE_OBSTACLE, { input: { unitId, title, category: 'BANKING', priority: 'HIGH' } })).raiseObstacle.obstacle.id;

let s: Server;
let unitId: string;

beforeAll(async () => {
  s = await startServer({ TASHIL_CORS_ORIGINS: `${PANEL},${LOCAL_UI}` });
  unitId = await registerUnit(s, { name: 'سرعت خانه ساز' });
  await registerUnit(s, { name: 'کاشی نوین' });
  await raiseObstacle(s, unitId);
});
afterAll(async () => {
  await s.close();
});
beforeEach(async () => {
  clock = new Date('2024-11-27T09:00:00Z');
  await settled(s);
});

describe('the same query again', () => {
  test('is served from the cache, byte for byte, with the same headers and its own request id', async () => {
    const first = await ask(s, UNITS, { county: 'پاکدشت' });
    const second = await ask(s, UNITS, { county: 'پاکدشت' });
    expect(first).toMatchObject({ status: 200, cached: false });
    expect(first.json.data.units.totalCount).toBe(2);
    expect(second).toMatchObject({ status: 200, cached: true });
    expect(second.text).toBe(first.text);
    const comparable = (headers: Headers) => [...headers].filter(([name]) => !['date', 'x-request-id'].includes(name));
    expect(comparable(second.headers)).toEqual(comparable(first.headers));
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.headers.get('x-request-id')).toBe(first.requestId);
    expect(second.headers.get('x-request-id')).toBe(second.requestId);
  });

  test('with the CORS headers of the origin asking, not of the one that was remembered', async () => {
    const panel = await ask(s, UNITS, { county: 'پردیس' }, { headers: { origin: PANEL } });
    const local = await ask(s, UNITS, { county: 'پردیس' }, { headers: { origin: LOCAL_UI } });
    const sameOrigin = await ask(s, UNITS, { county: 'پردیس' });
    expect([panel.cached, local.cached, sameOrigin.cached]).toEqual([false, true, true]);
    expect(panel.headers.get('access-control-allow-origin')).toBe(PANEL);
    expect(local.headers.get('access-control-allow-origin')).toBe(LOCAL_UI);
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBeNull();
    expect(local.text).toBe(panel.text);
  });

  test('over GET too, keyed by the search string', async () => {
    const first = await ask(s, UNITS, { county: 'پاکدشت' }, { method: 'GET' });
    const second = await ask(s, UNITS, { county: 'پاکدشت' }, { method: 'GET' });
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.text).toBe(first.text);
  });

  test('with other variables, another token or another Accept is another entry', async () => {
    const base = await ask(s, UNITS, { county: 'ورامین' });
    expect((await ask(s, UNITS, { county: 'ورامین' })).cached).toBe(true);

    expect((await ask(s, UNITS, { county: 'اسلامشهر' })).cached).toBe(false);
    // The exact text is the key: even a variable the query does not use makes another entry.
    expect((await ask(s, UNITS, { county: 'ورامین', unused: 1 })).cached).toBe(false);

    const analyst = await s.token('cache-analyst', ['ANALYST']);
    const otherToken = await ask(s, UNITS, { county: 'ورامین' }, { token: analyst });
    expect(otherToken.cached).toBe(false);
    expect(otherToken.text).toBe(base.text);
    expect((await ask(s, UNITS, { county: 'ورامین' }, { token: analyst })).cached).toBe(true);

    const spec = await ask(s, UNITS, { county: 'ورامین' }, { accept: GRAPHQL_RESPONSE });
    expect(spec.cached).toBe(false);
    expect(spec.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
    const specAgain = await ask(s, UNITS, { county: 'ورامین' }, { accept: GRAPHQL_RESPONSE });
    expect(specAgain.cached).toBe(true);
    expect(specAgain.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
  });

  test('counts hits, misses and stores, and the bytes held, in /metrics', async () => {
    const before = await metrics(s);
    await ask(s, UNITS, { county: 'ری' });
    await ask(s, UNITS, { county: 'ری' });
    await ask(s, UNITS, { county: 'ری' });
    const after = await metrics(s);
    expect({ hit: after.hit - before.hit, miss: after.miss - before.miss, store: after.store - before.store }).toEqual({ hit: 2, miss: 1, store: 1 });
    expect(after.bytes).toBeGreaterThan(before.bytes);
  });
});

describe('read your writes', () => {
  test('a write shows at once (a miss), and the new answer is then served from the cache', async () => {
    const before = await ask(s, UNIT_WITH_HISTORY, { id: unitId });
    expect((await ask(s, UNIT_WITH_HISTORY, { id: unitId })).cached).toBe(true);
    const obstacles = before.json.data.unit.obstacles.totalCount as number;
    const history = before.json.data.unit.history.totalCount as number;

    const raised = await raiseObstacle(s, unitId, 'بدهی معوق به سازمان تأمین اجتماعی');

    const after = await ask(s, UNIT_WITH_HISTORY, { id: unitId });
    expect(after.cached).toBe(false);
    expect(after.json.data.unit.obstacles.totalCount).toBe(obstacles + 1);
    expect(after.json.data.unit.obstacles.edges.map((e: any) => e.node.id)).toContain(raised);
    expect(after.json.data.unit.history.totalCount).toBe(history + 1);
    const again = await ask(s, UNIT_WITH_HISTORY, { id: unitId });
    expect(again.cached).toBe(true);
    expect(again.text).toBe(after.text);
  });

  test('a commit while a query runs: its answer is sent but not remembered', async () => {
    const query = `query ($id: ID!) { unit(id: $id) { id name revision } }`;
    const runtime = s.t.app.runtime;
    const version = runtime.readModelsVersion();
    // The version the lookup sees, the one taken before execution, and a different one after it.
    const spy = jest.spyOn(runtime, 'readModelsVersion').mockReturnValueOnce(version).mockReturnValueOnce(version).mockReturnValueOnce(version + 1);
    try {
      const during = await ask(s, query, { id: unitId });
      expect(during).toMatchObject({ status: 200, cached: false });
    } finally {
      spy.mockRestore();
    }
    expect((await ask(s, query, { id: unitId })).cached).toBe(false);
    expect((await ask(s, query, { id: unitId })).cached).toBe(true);
  });
});

describe('another caller', () => {
  test('without a token never gets a signed-in caller’s answer', async () => {
    expect((await ask(s, UNITS, { county: 'پاکدشت' })).json.data).toBeDefined();
    expect((await ask(s, UNITS, { county: 'پاکدشت' })).cached).toBe(true);
    const anonymous = await ask(s, UNITS, { county: 'پاکدشت' }, { token: null });
    expect(anonymous.cached).toBe(false);
    expect(anonymous.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anonymous.json.data?.units).toBeFalsy();
  });

  test('whose role is refused a query stays refused after an administrator asked it', async () => {
    const projections = `{ projections { name state } }`;
    expect((await ask(s, projections)).json.data.projections.length).toBeGreaterThan(0);
    expect((await ask(s, projections)).cached).toBe(false); // projection status: never remembered
    const viewer = await s.token('cache-viewer', ['VIEWER']);
    const refused = await ask(s, projections, undefined, { token: viewer });
    expect(refused.cached).toBe(false);
    expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await ask(s, projections, undefined, { token: viewer })).json.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test('an anonymous GET without a CSRF-prevention header is refused even after one with it was remembered', async () => {
    const typename = `{ __typename }`;
    const preflight = { 'apollo-require-preflight': 'true' };
    const first = await ask(s, typename, undefined, { token: null, method: 'GET', headers: preflight });
    expect(first.json.data).toEqual({ __typename: 'Query' });
    expect((await ask(s, typename, undefined, { token: null, method: 'GET', headers: preflight })).cached).toBe(true);
    const forged = await ask(s, typename, undefined, { token: null, method: 'GET' });
    expect(forged).toMatchObject({ status: 400, cached: false });
  });

  test('introspection is remembered like any query', async () => {
    const introspection = `{ __schema { queryType { name } } }`;
    expect((await ask(s, introspection)).cached).toBe(false);
    expect((await ask(s, introspection)).cached).toBe(true);
  });
});

describe('never remembered', () => {
  test('an answer with errors, whole or partial: each is executed', async () => {
    const tooLarge = `{ units(first: 500) { totalCount } }`;
    const partial = `query ($id: ID!) { units(first: 1) { totalCount } unit(id: $id) { id history(first: 500) { totalCount } } }`;
    for (const query of [tooLarge, partial]) {
      const first = await ask(s, query, { id: unitId });
      const second = await ask(s, query, { id: unitId });
      expect(first.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect([first.status, second.status]).toEqual([200, 200]);
      expect([first.cached, second.cached]).toEqual([false, false]);
      expect(second.text).toBe(first.text);
    }
    expect((await ask(s, partial, { id: unitId })).json.data).toMatchObject({ units: { totalCount: expect.any(Number) } });
  });

  test('a mutation: sent twice, it takes effect twice', async () => {
    const raise = JSON.stringify({ input: { unitId, title: 'قطعی مکرر برق در ساعات اوج', category: 'UTILITIES' } });
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const raised = await ask(s, RAISE_OBSTACLE, JSON.parse(raise));
      expect(raised.cached).toBe(false);
      ids.push(raised.json.data.raiseObstacle.obstacle.id);
      await settled(s);
    }
    expect(new Set(ids).size).toBe(2);
  });

  test('what reads the clock: a promise becomes overdue with no commit at all', async () => {
    const visitId = (await ok(s, RECORD_VISIT, { input: islamshahrVisit({ unitIds: [] }) })).recordVisit.visit.id;
    const commitment = (
      await ok(s, MAKE_COMMITMENT, {
        input: { madeBy: 'معاون اقتصادی استاندار تهران', madeTo: 'تولیدکنندگان کفش اسلامشهر', description: 'احداث شهر کفش', dueDate: '2024-11-28T20:30:00Z', source: { kind: 'VISIT', id: visitId } },
      })
    ).makeCommitment.commitment;
    const overdue = { county: 'اسلامشهر', overdue: true };
    const version = s.t.app.runtime.readModelsVersion();

    const now = await ask(s, COMMITMENTS, overdue);
    const again = await ask(s, COMMITMENTS, overdue);
    expect([now.cached, again.cached]).toEqual([false, false]);
    expect(now.json.data.commitments.totalCount).toBe(0);
    expect((await ask(s, COMMITMENT, { id: commitment.id })).json.data.commitment.overdue).toBe(false);

    clock = new Date(clock.getTime() + 3 * DAY);
    const later = await ask(s, COMMITMENTS, overdue);
    expect(later.cached).toBe(false);
    expect(later.json.data.commitments.totalCount).toBe(1);
    const one = await ask(s, COMMITMENT, { id: commitment.id });
    expect(one.cached).toBe(false);
    expect(one.json.data.commitment.overdue).toBe(true);
    expect(s.t.app.runtime.readModelsVersion()).toBe(version); // the clock alone changed the answers
  });

  test.each([
    ['resolutions', `{ resolutions(overdue: true) { totalCount } }`],
    ['agencyPerformance', `{ agencyPerformance { agency overdue } }`],
    ['commitmentScorecard', `{ commitmentScorecard { madeBy overdue } }`],
  ])('%s, which reads the clock: executed each time', async (_, query) => {
    const answers = [await ask(s, query), await ask(s, query)];
    expect(answers.map((a) => a.json.errors)).toEqual([undefined, undefined]);
    expect(answers.map((a) => a.cached)).toEqual([false, false]);
  });

  test.each([
    ['auditTrail', AUDIT_TRAIL],
    ['replay', `query ($kind: AggregateKind!, $id: ID!) { replay(kind: $kind, id: $id) { totalCount } }`],
    ['stateAsOf', `query ($kind: AggregateKind!, $id: ID!) { stateAsOf(kind: $kind, id: $id) { by } }`],
    ['verifyIntegrity', `query ($kind: AggregateKind!, $id: ID!) { verifyIntegrity(kind: $kind, id: $id) { eventsChecked } }`],
  ])('%s: read from the event store and its access logged, on every request', async (query, document) => {
    const obstacleId = await raiseObstacle(s, unitId, 'ترخیص مواد اولیه از گمرک');
    const asked = [await ask(s, document, { kind: 'OBSTACLE', id: obstacleId }), await ask(s, document, { kind: 'OBSTACLE', id: obstacleId })];
    expect(asked.map((a) => a.json.errors)).toEqual([undefined, undefined]);
    expect(asked.map((a) => a.cached)).toEqual([false, false]);
    expect(asked[1]!.text).toBe(asked[0]!.text);
    const logged = s.appLines.filter((l) => l.msg === 'audit access' && l.query === query && l.id === obstacleId).map((l) => l.requestId);
    expect(logged).toEqual(asked.map((a) => a.requestId));
  });

  test('causedBy: read after the store’s head, its access logged, on every request', async () => {
    const raised = await ask(s, RAISE_OBSTACLE, { input: { unitId, title: 'تمدید پروانه بهره‌برداری', category: 'PERMITS', correlationId: 'cache-test-case' } });
    expect(raised.json.errors).toBeUndefined();
    await settled(s);
    // The trace is the server's: asked by the command the mutation answered with.
    const causedBy = `{ causedBy(commandId: "${raised.json.data.raiseObstacle.commandId}") { truncated events { type } } }`;
    const asked = [await ask(s, causedBy), await ask(s, causedBy)];
    expect(asked.map((a) => a.json.data?.causedBy.events.length)).toEqual([1, 1]);
    expect(asked.map((a) => a.cached)).toEqual([false, false]);
    const logged = s.appLines.filter((l) => l.msg === 'audit access' && l.query === 'causedBy').map((l) => l.requestId);
    expect(logged).toEqual(asked.map((a) => a.requestId));
  });
});

describe('configuration', () => {
  test('TASHIL_RESPONSE_CACHE_MB=0: no cache at all', async () => {
    const off = await startServer({ TASHIL_RESPONSE_CACHE_MB: '0' });
    try {
      const answers = [await ask(off, UNITS, { county: 'پاکدشت' }), await ask(off, UNITS, { county: 'پاکدشت' })];
      expect(answers.map((a) => [a.status, a.cached])).toEqual([[200, false], [200, false]]);
      expect(answers[1]!.text).toBe(answers[0]!.text);
      const counted = await metrics(off);
      expect(counted).toMatchObject({ hit: 0, miss: 0, store: 0, bytes: 0 });
    } finally {
      await off.close();
    }
  });

  test('a hit counts against the rate limit like any request', async () => {
    const limited = await startServer({ TASHIL_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await ask(limited, UNITS, { county: 'پاکدشت' }));
      expect(answers.map((a) => [a.status, a.cached])).toEqual([[200, false], [200, true], [200, true], [429, false]]);
      expect(answers[3]!.json.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(answers[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });
});
