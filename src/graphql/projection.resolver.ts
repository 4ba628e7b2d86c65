import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Authorized } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { ProjectionState } from '../projection/runtime';
import type { TashilContext } from './context';
import { ProjectionStateEnum } from './enums';

@ObjectType({ description: 'A read model and how far it has read the event store.' })
export class ProjectionStatus {
  @Field()
  name!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => ProjectionStateEnum)
  state!: ProjectionState;

  @Field({ description: 'Global position of the last event it has taken into account.' })
  position!: string;

  @Field({ description: 'Events in the store after that position.' })
  lagEvents!: string;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => String, { nullable: true, description: 'Position of the event it failed on.' })
  failedAt!: string | null;
}

@Resolver()
export class ProjectionResolver {
  @Authorized(READ_ROLES.projectionStatus)
  @Query(() => [ProjectionStatus], { description: 'Every projection, its state and its lag behind the store.' })
  async projections(@Ctx() ctx: TashilContext): Promise<ProjectionStatus[]> {
    return (await ctx.runtime.status()).map((s) => ({
      name: s.name,
      version: s.version,
      state: s.state,
      position: String(s.position),
      lagEvents: String(s.lagEvents),
      lastError: s.lastError?.message ?? null,
      failedAt: s.lastError ? String(s.lastError.position) : null,
    }));
  }
}
