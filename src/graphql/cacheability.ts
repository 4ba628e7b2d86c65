/**
 * Whether one HTTP request's answer may be remembered and served again while
 * the read models are unchanged (src/http/response-cache.ts): only a query,
 * answered without errors, that read nothing but read-model rows.
 *
 * Resolvers do not have to say so. The request's context is watched: reading
 * the clock, the event store, the write side, the projections' status, the
 * request's id or the log (audit access is logged on every request) marks the
 * request uncacheable as it happens. A new resolver that reads any of them is
 * uncacheable without a line of its own, and a new member of the context is
 * uncacheable until it is classified in `READS` below.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationTypeNode } from 'graphql';
import type { ProjectionRuntime } from '../projection/runtime';
import type { TashilContext } from './context';

/** What one request did that decides whether its answer may be reused. */
export class Cacheability {
  /** The operation Apollo resolved (null: it never got that far). */
  operation: OperationTypeNode | null = null;
  /** Apollo sent one complete result without `errors` (a partial result with errors is never reused). */
  answeredWithoutErrors = false;
  /** The first thing the answer depended on besides the read models' rows, or null. */
  dependsOn: string | null = null;

  /** The answer depends on `what` (the clock, the event store…): it is this request's alone. */
  mark(what: string): void {
    this.dependsOn ??= what;
  }

  /** A query answered without errors from read-model rows alone (the version check is the caller's). */
  get reusable(): boolean {
    return this.operation === 'query' && this.answeredWithoutErrors && this.dependsOn === null;
  }
}

/**
 * What each member of the context lets a resolver read:
 * - `keyed`: the same for every request with the same cache key. The key holds
 *   the token, so the principal; the read models read rows; the timeout is configuration.
 * - `projections`: the runtime, whose `reader` gives read-model rows; anything
 *   else of it (status and lag, waiting for a position, rebuilds) marks.
 * - `per-request`: anything else marks the request when read.
 */
const READS: { readonly [K in keyof TashilContext]-?: 'keyed' | 'projections' | 'per-request' } = {
  principal: 'keyed',
  readModels: 'keyed',
  readYourWritesTimeoutMs: 'keyed',
  maxBackdateDays: 'keyed',
  runtime: 'projections',
  requestId: 'per-request',
  commands: 'per-request',
  registry: 'per-request',
  followUp: 'per-request',
  access: 'per-request',
  store: 'per-request',
  now: 'per-request',
  log: 'per-request',
};

/** The runtime with `reader` free and every other property marking the request. */
const watchedRuntime = (runtime: ProjectionRuntime, cacheability: Cacheability): ProjectionRuntime => {
  const reader = runtime.reader.bind(runtime);
  return new Proxy(runtime, {
    get(target, property) {
      if (property === 'reader') return reader;
      cacheability.mark(`runtime.${String(property)}`);
      const value: unknown = Reflect.get(target, property, target);
      // Bound to the runtime itself, so that its own members are not read through (and marked by) the proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
};

/** Where a watched context keeps its `Cacheability` (inherited, like its members). */
const CACHEABILITY = Symbol('cacheability');

/**
 * `ctx` as resolvers see it when the answer may be reused: the same members,
 * each reported to `cacheability` when read (see `READS`).
 *
 * The members live on the context's prototype, not on the object: Apollo
 * gives resolvers a copy of the context, made with `Object.assign` into an
 * object of the same prototype. Own getters would all be read (and mark the
 * request) by that copy and arrive as plain values; inherited ones reach the
 * copy intact. A spread (`{ ...ctx }`) would lose them, so a context meant to
 * be copied that way (subscriptions) is built without watching.
 */
export const watchedContext = (ctx: TashilContext, cacheability: Cacheability): TashilContext => {
  const members: PropertyDescriptorMap = { [CACHEABILITY]: { value: cacheability } };
  for (const key of Object.keys(ctx) as (keyof TashilContext)[]) {
    const reads = READS[key] ?? 'per-request';
    if (reads === 'keyed') {
      members[key] = { value: ctx[key], enumerable: true };
    } else if (reads === 'projections') {
      members[key] = { value: watchedRuntime(ctx.runtime, cacheability), enumerable: true };
    } else {
      members[key] = {
        enumerable: true,
        get() {
          cacheability.mark(key);
          return ctx[key];
        },
      };
    }
  }
  return Object.create(Object.create(Object.prototype, members) as object) as TashilContext;
};

const cacheabilityOf = (ctx: TashilContext): Cacheability | undefined => (ctx as unknown as { [CACHEABILITY]?: Cacheability })[CACHEABILITY];

/** Tells a watched request's `Cacheability` which operation ran and whether it answered without errors. */
export const cacheabilityPlugin = (): ApolloServerPlugin<TashilContext> => ({
  async requestDidStart({ contextValue }) {
    const cacheability = cacheabilityOf(contextValue);
    if (cacheability === undefined) return;
    return {
      async didResolveOperation({ operation }) {
        cacheability.operation = operation?.operation ?? null;
      },
      async willSendResponse({ response }) {
        cacheability.answeredWithoutErrors = response.body.kind === 'single' && !response.body.singleResult.errors?.length;
      },
    };
  },
});
