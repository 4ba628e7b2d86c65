/**
 * Composition: config → event store → projections → GraphQL. Everything the
 * HTTP server, the CLI and the tests need is built here, once.
 */
import { AccessCommands } from './commands/access';
import { followRevocations, RevocationList, type RevocationFollower } from './auth/revocations';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { tokenConfig } from './auth/keys';
import type { Principal } from './auth/principal';
import { NATION } from './auth/scope';
import { createTokenVerifier, type TokenConfig, type TokenVerifier } from './auth/tokens';
import { FacilitationCommands } from './commands/facilitation';
import { FollowUpCommands } from './commands/follow-up';
import { RegistryCommands } from './commands/registry';
import { EVENTS_FILE, LIVE_UPDATES_FILE, type Config } from './config';
import type { EventStore } from './eventstore/event-store';
import { openStore, type StoreSpec } from './eventstore/open';
import { upcastingStore } from './eventstore/upcasting';
import { UPCASTERS } from './domain/upcasters';
import { Cacheability, cacheabilityPlugin, watchedContext } from './graphql/cacheability';
import type { TashilContext } from './graphql/context';
import { formatError } from './graphql/errors';
import { ReadModels } from './graphql/read-models';
import { requestScope } from './graphql/read-scope';
import { buildTashilSchema } from './graphql/schema';
import type { Log } from './log';
import { createMetrics, timedStore, watchProjections, type Metrics } from './metrics';
import { catchUpThreads } from './projection/catch-up-thread';
import { discoverProjections } from './projection/discover';
import type { ProjectionDefinition } from './projection/projection';
import { ProjectionRuntime } from './projection/runtime';
import { LiveUpdates } from './subscriptions/live-updates';

export interface App {
  config: Config;
  store: EventStore;
  runtime: ProjectionRuntime;
  commands: FacilitationCommands;
  registry: RegistryCommands;
  followUp: FollowUpCommands;
  access: AccessCommands;
  /** Revoked tokens, checked by the verifier on every request and WebSocket sign-in. */
  revocations: RevocationList;
  /** The read models as the nation sees them: for live updates and the operator's own tasks, never a request's. */
  readModels: ReadModels;
  apollo: ApolloServer<TashilContext>;
  schema: GraphQLSchema;
  /** The limits every operation is validated against, over HTTP and WebSocket alike. */
  validationRules: ValidationRule[];
  /** What subscriptions push (see src/subscriptions/). */
  live: LiveUpdates;
  metrics: Metrics;
  log: Log;
  tokens: TokenConfig & { generated: boolean };
  verifier: TokenVerifier;
  /**
   * The context of one request. With `cacheability`, every read of something
   * other than read-model rows (the clock, the event store…) is reported to it
   * (src/graphql/cacheability.ts), for the response cache.
   */
  context(request: { requestId?: string; principal: Principal | null; cacheability?: Cacheability }): TashilContext;
  close(): Promise<void>;
}


/** Where this process's store is, from its configuration (see `openStore`). */
export const storeSpecOf = (config: Config): StoreSpec =>
  config.eventStore.kind === 'esdb'
    ? { kind: 'esdb', connectionString: config.eventStore.connectionString }
    : { kind: 'sqlite', path: join(config.dataDir, EVENTS_FILE), synchronous: config.eventStore.synchronous };

export const openEventStore = async (config: Config): Promise<EventStore> => {
  if (config.eventStore.kind === 'sqlite') mkdirSync(config.dataDir, { recursive: true, mode: 0o700 }); // owner only: the history is in it
  return openStore(storeSpecOf(config));
};

/**
 * graphql-armor throws its rejections, which Apollo would answer as an
 * internal error; reported as validation errors they are a clear 400.
 */
const reportLimit = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

export interface OpenAppOptions {
  log: Log;
  /** Projections to run; default: every file in `projections/`. */
  projections?: ProjectionDefinition[];
  now?: () => Date;
}

export const openApp = async (config: Config, options: OpenAppOptions): Promise<App> => {
  const { log } = options;
  const metrics = createMetrics();
  // Outermost, so that every reader (commands, projections, GraphQL) sees events in today's shape.
  const store = upcastingStore(timedStore(await openEventStore(config), metrics), UPCASTERS);
  let runtime: ProjectionRuntime | undefined;
  let revocationFollower: RevocationFollower | undefined;
  try {
    // Fails fast, with the store's own message, when the store cannot be reached.
    await store.headPosition();
    const threads = catchUpThreads(storeSpecOf(config), { count: config.catchUpThreads, minLagEvents: config.catchUpMinLagEvents });
    runtime = new ProjectionRuntime(store, {
      directory: join(config.dataDir, 'projections'),
      projections: options.projections ?? discoverProjections(),
      log,
      stallCheckMs: config.stallCheckMs,
      ...(threads ? { threads } : {}),
    });
    await runtime.start();
    watchProjections(metrics, runtime);
    const commands = new FacilitationCommands(store);
    const registry = new RegistryCommands(store);
    const followUp = new FollowUpCommands(store, { objectionWindowDays: config.objectionWindowDays });
    // The whole nation's view, for the live updates (each subscriber's own scope filters what it is sent).
    const readModels = new ReadModels(runtime, NATION);
    const projections = runtime;
    const tokens = tokenConfig(config);
    // Every revocation in the store is in memory before the first request is served.
    const revocations = new RevocationList();
    revocationFollower = await followRevocations(store, runtime, revocations);
    const access = new AccessCommands(store, revocations);
    const verifier = createTokenVerifier(tokens, { isRevoked: (token) => revocations.isRevoked(token) });
    // Refused before execution, with a GRAPHQL_VALIDATION_FAILED error that names the limit.
    const limits = config.limits;
    const validationRules = [
      maxDepthRule({ n: limits.maxDepth, ...reportLimit }),
      maxAliasesRule({ n: limits.maxAliases, ...reportLimit }),
      costLimitRule({ maxCost: limits.maxCost, ...reportLimit }),
    ];
    const schema = await buildTashilSchema();
    const apollo = new ApolloServer<TashilContext>({
      schema,
      formatError: formatError(log, (code) => metrics.graphqlErrors.inc({ code })),
      includeStacktraceInErrorResponses: false,
      introspection: config.introspection,
      // No "did you mean …" hints that map the schema for someone without introspection.
      hideSchemaDetailsFromClientErrors: !config.introspection,
      // A GET needs a header no cross-site form or <img> can send. Authorization is one: no
      // browser sends it cross-origin without a CORS preflight, and tokens never ride in
      // cookies, so a GET carrying a token is no forgery (the graphql-http audit sends none of
      // Apollo's own headers). Anonymous GETs still need apollo-require-preflight.
      csrfPrevention: { requestHeaders: ['authorization', 'apollo-require-preflight', 'x-apollo-operation-name'] },
      allowBatchedHttpRequests: false,
      // Parsing stops at the token budget, so a large document is refused before it costs much
      // (an anonymous request is held to a smaller one in http.ts, before it reaches Apollo).
      parseOptions: { maxTokens: config.limits.maxTokens },
      validationRules,
      // main.ts owns SIGTERM/SIGINT (close HTTP, then the app). Apollo's own handlers
      // (installed unless NODE_ENV=test) would stop Apollo first; our app.close() then
      // awaits Apollo's concurrent stop(), which never settles, so the process hung
      // until the 10 s bound and exited 1 instead of 0.
      stopOnTerminationSignals: false,
      // Apollo's landing page loads from a CDN that many government networks block;
      // browsers get our self-hosted explorer instead (src/explorer/), or nothing.
      // Apollo installs its cache-control plugin unless told not to. Nothing here gives cache
      // hints (every answer is per-user and live), yet the plugin hooks every resolved field:
      // its hook alone was about 5 % of the CPU of a 50-row list page under load.
      // The response cache learns from its own plugin which operation ran and whether it had errors.
      plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), cacheabilityPlugin()],
    });
    await apollo.start();
    const now = options.now ?? (() => new Date());
    const live = new LiveUpdates(projections, readModels, {
      ...config.subscriptions,
      now,
      log,
      onCount: (open) => metrics.subscriptionsOpen.set(open),
      stateFile: join(config.dataDir, LIVE_UPDATES_FILE),
    });
    return {
      config,
      store,
      runtime: projections,
      commands,
      registry,
      followUp,
      access,
      revocations,
      readModels,
      apollo,
      schema,
      // Apollo adds this rule itself when introspection is off; WebSocket operations need it spelled out.
      validationRules: config.introspection ? validationRules : [...validationRules, NoSchemaIntrospectionCustomRule],
      live,
      metrics,
      log,
      tokens,
      verifier,
      context: (request) => {
        const ctx: TashilContext = {
          principal: request.principal,
          registry,
          followUp,
          access,
          requestId: request.requestId ?? randomUUID(),
          commands,
          // The caller's scope is in every read-model statement of the request (src/auth/scope.ts).
          readModels: new ReadModels(projections, requestScope(request.principal, projections)),
          store,
          runtime: projections,
          now,
          readYourWritesTimeoutMs: config.readYourWritesTimeoutMs,
          maxBackdateDays: config.maxBackdateDays,
          log,
        };
        return request.cacheability ? watchedContext(ctx, request.cacheability) : ctx;
      },
      close: async () => {
        live.close();
        await apollo.stop();
        revocationFollower?.stop();
        await projections.stop();
        await store.close();
      },
    };
  } catch (error) {
    revocationFollower?.stop();
    await runtime?.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
};
