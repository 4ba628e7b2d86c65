import { GraphQLDateTime } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuditResolver } from './audit.resolver';
import { MeetingResolver, ResolutionResolver } from './meeting.resolver';
import { ObstacleResolver } from './obstacle.resolver';
import { ProjectionResolver } from './projection.resolver';
import { UnitResolver } from './unit.resolver';

/** The whole API; `schema/schema.graphql` is this, printed (a test fails when the file is stale). */
export const buildTashilSchema = (): Promise<GraphQLSchema> =>
  buildSchema({
    resolvers: [UnitResolver, ObstacleResolver, MeetingResolver, ResolutionResolver, AuditResolver, ProjectionResolver],
    // Every input is validated by class-validator before a resolver runs.
    validate: { forbidUnknownValues: true },
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
  });
