/**
 * What makes an answer uncacheable (src/graphql/cacheability.ts), through the
 * real app and Apollo's own HTTP entry point, as src/http.ts calls it: reading
 * anything of the context but read-model rows marks the request, whoever reads
 * it, and Apollo's copy of the context keeps watching.
 */
import { HeaderMap } from '@apollo/server';
import { Cacheability, watchedContext } from '../../src/graphql/cacheability';
import type { TashilContext } from '../../src/graphql/context';
import { ADMIN, startTestApp, type TestApp } from '../support/app';
import { RAISE_OBSTACLE, REGISTER_UNIT, kharazmiUnit } from './operations';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Runs `query` as a POST through Apollo with a watched context; returns what the request was found to depend on. */
const run = async (query: string, variables?: Record<string, unknown>) => {
  const cacheability = new Cacheability();
  const response = await t.app.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: variables ? { query, variables } : { query } },
    context: async () => t.app.context({ principal: ADMIN, cacheability }),
  });
  const body = response.body.kind === 'complete' ? (JSON.parse(response.body.string) as { data?: any; errors?: any[] }) : null;
  return { cacheability, body };
};

/** What Apollo does with a context before resolvers see it (ApolloServer.ts, `cloneObject`). */
const apolloCopy = <T extends object>(ctx: T): T => Object.assign(Object.create(Object.getPrototypeOf(ctx) as object) as T, ctx);

describe('through Apollo', () => {
  test('a query of read-model rows is reusable', async () => {
    const { cacheability, body } = await run(`{ units { totalCount } obstacles(first: 5) { edges { node { id unit { name } } } } }`);
    expect(body?.errors).toBeUndefined();
    expect(cacheability).toMatchObject({ operation: 'query', answeredWithoutErrors: true, dependsOn: null, reusable: true });
  });

  test('a mutation is not, whatever it reads', async () => {
    const { cacheability, body } = await run(REGISTER_UNIT, { input: kharazmiUnit() });
    expect(body?.errors).toBeUndefined();
    expect(cacheability.operation).toBe('mutation');
    expect(cacheability.reusable).toBe(false);
    const unitId = body!.data.registerUnit.unit.id as string;
    const raised = await run(RAISE_OBSTACLE, { input: { unitId, title: 'بدهی معوق به سازمان تأمین اجتماعی', category: 'SOCIAL_SECURITY' } });
    expect(raised.body?.errors).toBeUndefined();
    expect(raised.cacheability).toMatchObject({ operation: 'mutation', reusable: false });
  });

  test('an answer with errors is not', async () => {
    const { cacheability } = await run(`{ units(first: 500) { totalCount } }`);
    expect(cacheability).toMatchObject({ operation: 'query', answeredWithoutErrors: false, reusable: false });
  });

  test('a document that does not validate never resolved an operation', async () => {
    const { cacheability } = await run(`{ noSuchField }`);
    expect(cacheability).toMatchObject({ operation: null, reusable: false });
  });

  test.each([
    ['the clock', `{ commitments(overdue: true) { totalCount } }`, 'now'],
    // Audit queries log their access before they read the store.
    ['the event store (an audit query)', `{ verifyIntegrity { eventsChecked } }`, 'log'],
    ['projection status', `{ projections { name lagEvents } }`, 'runtime.status'],
  ])('a query that reads %s is not', async (_, query, dependsOn) => {
    const { cacheability, body } = await run(query);
    expect(body?.errors).toBeUndefined();
    expect(cacheability).toMatchObject({ operation: 'query', dependsOn, reusable: false });
  });
});

describe('the watched context', () => {
  const watched = () => {
    const cacheability = new Cacheability();
    return { cacheability, ctx: t.app.context({ requestId: 'r-1', principal: ADMIN, cacheability }) };
  };

  test.each(['now', 'store', 'requestId', 'log', 'commands', 'registry', 'followUp'] as const)('reading %s marks the request, also in Apollo’s copy', (member) => {
    for (const copy of [false, true]) {
      const { cacheability, ctx } = watched();
      const seen = copy ? apolloCopy(ctx) : ctx;
      expect(cacheability.dependsOn).toBeNull();
      expect(seen[member]).toBe(t.app.context({ requestId: 'r-1', principal: ADMIN })[member]);
      expect(cacheability.dependsOn).toBe(member);
    }
  });

  test('principal, read models, the timeout and read-model rows through the runtime do not', () => {
    const { cacheability, ctx } = watched();
    const seen = apolloCopy(ctx);
    expect(seen.principal).toEqual(ADMIN);
    // The request's own read models, in its caller's scope (an ADMIN's: the nation).
    expect(seen.readModels).toBe(ctx.readModels);
    expect(seen.readModels.scope).toEqual({ kind: 'NATION' });
    expect(seen.readYourWritesTimeoutMs).toBe(t.app.config.readYourWritesTimeoutMs);
    expect(seen.runtime.reader('units')).toBe(t.app.runtime.reader('units'));
    expect(cacheability.dependsOn).toBeNull();
  });

  test('anything else of the runtime marks: status, waiting for a position', async () => {
    const { cacheability, ctx } = watched();
    await ctx.runtime.waitForPosition(0n, 1000);
    expect(cacheability.dependsOn).toBe('runtime.waitForPosition');
    const other = watched();
    expect((await other.ctx.runtime.status()).length).toBeGreaterThan(0);
    expect(other.cacheability.dependsOn).toBe('runtime.status');
  });

  test('a member added to the context later is per-request until classified', () => {
    const cacheability = new Cacheability();
    const base = { ...t.app.context({ principal: ADMIN }), weather: 'sunny' } as TashilContext & { weather: string };
    const ctx = watchedContext(base, cacheability) as TashilContext & { weather: string };
    expect(ctx.weather).toBe('sunny');
    expect(cacheability.dependsOn).toBe('weather');
  });

  test('without a Cacheability the context is the plain object it always was', () => {
    const ctx = t.app.context({ principal: ADMIN });
    expect(Object.getOwnPropertyDescriptor(ctx, 'now')?.value).toBeInstanceOf(Function);
    expect(ctx.runtime).toBe(t.app.runtime);
  });
});

describe('reusable', () => {
  const judged = (operation: Cacheability['operation'], answeredWithoutErrors: boolean, dependsOn: string | null): boolean => {
    const cacheability = new Cacheability();
    Object.assign(cacheability, { operation, answeredWithoutErrors });
    if (dependsOn !== null) cacheability.mark(dependsOn);
    return cacheability.reusable;
  };

  test('only a query, answered without errors, that read nothing but rows', () => {
    expect(judged('query' as never, true, null)).toBe(true);
    expect(judged('mutation' as never, true, null)).toBe(false);
    expect(judged('subscription' as never, true, null)).toBe(false);
    expect(judged(null, true, null)).toBe(false);
    expect(judged('query' as never, false, null)).toBe(false);
    expect(judged('query' as never, true, 'now')).toBe(false);
  });

  test('the first thing read is what it is said to depend on', () => {
    const cacheability = new Cacheability();
    cacheability.mark('log');
    cacheability.mark('store');
    expect(cacheability.dependsOn).toBe('log');
  });
});
