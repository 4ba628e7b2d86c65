import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { join } from 'node:path';
import { buildSchema } from 'type-graphql';
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
import { NodeResolver } from './node.resolver';

/** The whole API; `schema/schema.graphql` is this, printed (a test fails when the file is stale). */
export const buildTashilSchema = (): Promise<GraphQLSchema> =>
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
      NodeResolver,
      ...REGISTRY_RESOLVERS,
      ...FOLLOW_UP_RESOLVERS,
      ...JALALI_RESOLVERS,
      ...AUDIT_REPLAY_RESOLVERS,
    ],
    // Every input is validated by class-validator before a resolver runs.
    validate: { forbidUnknownValues: true },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    authMode: 'error',
  });

/** `schema/schema.graphql`, from the sources (`src/graphql`) or the build (`dist/src/graphql`). */
export const SCHEMA_FILE = join(__dirname, ...(__filename.endsWith('.js') ? ['..', '..', '..'] : ['..', '..']), 'schema', 'schema.graphql');

/** The SDL as committed in `schema/schema.graphql`, types in alphabetical order so diffs stay readable. */
export const printTashilSchema = async (): Promise<string> => `${printSchema(lexicographicSortSchema(await buildTashilSchema()))}\n`;
