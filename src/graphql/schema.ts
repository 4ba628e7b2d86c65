import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { join } from 'node:path';
import { validateOrReject, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError, buildSchema } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { AuditResolver } from './audit.resolver';
import { MeetingResolver, ResolutionResolver } from './meeting.resolver';
import { ObstacleResolver } from './obstacle.resolver';
import { ProjectionResolver } from './projection.resolver';
import { UnitResolver } from './unit.resolver';
import { FOLLOW_UP_RESOLVERS } from './follow-up.resolvers';
import { REGISTRY_RESOLVERS } from './registry.resolvers';
import { JALALI_RESOLVERS } from './jalali.resolvers';
import { AUDIT_REPLAY_RESOLVERS } from './audit-replay.resolver';
import { DateTimeScalar } from './scalars';
import { SearchResolver } from './search.resolver';
import { AnalyticsResolver } from './analytics.resolver';
import { NO_TOPICS, SubscriptionResolver } from './subscription.resolver';
import { NodeResolver } from './node.resolver';
import { AccessResolver } from './access.resolver';

const ROOT_DESCRIPTIONS: Record<string, string> = {
  Query: 'Everything Tashil answers: read models (projections of the events), audit trails, analytics and projection status.',
  Mutation: 'Every change is a command that records events; each returns the changed thing as the read models hold it after the command.',
  Subscription: 'Live updates, pushed over WebSocket (graphql-ws).',
};

/** type-graphql offers no option for the root types' descriptions: they are set on the built schema. */
const describeRoots = (schema: GraphQLSchema): GraphQLSchema => {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (root && !root.description) root.description = ROOT_DESCRIPTIONS[root.name] ?? null;
  }
  return schema;
};

/** The whole API; `schema/schema.graphql` is this, printed (a test fails when the file is stale). */
export const buildTashilSchema = async (): Promise<GraphQLSchema> =>
  describeRoots(await buildSchemaFromResolvers());

const buildSchemaFromResolvers = (): Promise<GraphQLSchema> =>
  buildSchema({
    resolvers: [
      UnitResolver,
      ObstacleResolver,
      MeetingResolver,
      ResolutionResolver,
      AuditResolver,
      ProjectionResolver,
      SearchResolver,
      AnalyticsResolver,
      SubscriptionResolver,
      NodeResolver,
      AccessResolver,
      ...REGISTRY_RESOLVERS,
      ...FOLLOW_UP_RESOLVERS,
      ...JALALI_RESOLVERS,
      ...AUDIT_REPLAY_RESOLVERS,
    ],
    // Every input is validated by class-validator before a resolver runs.
    validateFn: validateArgument,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    authMode: 'error',
    pubSub: NO_TOPICS,
  });

const VALIDATOR_OPTIONS: ValidatorOptions = { forbidUnknownValues: true, skipMissingProperties: true };
const validatable = (value: unknown): value is object => value !== null && typeof value === 'object';

/**
 * What type-graphql does with `validate: { forbidUnknownValues: true }`, the same options and
 * the same error, without its per-argument `import('class-validator')`: that dynamic import
 * resolved the module again on every request (about 2 % of a mutation's CPU under load).
 */
const validateArgument = async (value: unknown): Promise<void> => {
  if (!validatable(value)) return;
  try {
    if (Array.isArray(value)) await Promise.all(value.filter(validatable).map((item) => validateOrReject(item, VALIDATOR_OPTIONS)));
    else await validateOrReject(value, VALIDATOR_OPTIONS);
  } catch (errors) {
    throw new ArgumentValidationError(errors as ConstructorParameters<typeof ArgumentValidationError>[0]);
  }
};

/** `schema/schema.graphql`, from the sources (`src/graphql`) or the build (`dist/src/graphql`). */
export const SCHEMA_FILE = join(__dirname, ...(__filename.endsWith('.js') ? ['..', '..', '..'] : ['..', '..']), 'schema', 'schema.graphql');

/** The SDL as committed in `schema/schema.graphql`, types in alphabetical order so diffs stay readable. */
export const printTashilSchema = async (): Promise<string> => `${printSchema(lexicographicSortSchema(await buildTashilSchema()))}\n`;
