import { ArrayMaxSize, IsString } from 'class-validator';
import { Args, ArgsType, Authorized, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { READ_ROLES } from '../auth/policy';
import { MAX_PAGE_SIZE } from './connection';
import type { TashilContext } from './context';
import { loaders } from './loaders';
import { Node } from './node';

@ArgsType()
export class NodeArgs {
  @Field(() => ID, { description: 'The id of a unit, obstacle, meeting, resolution, agency, workgroup, zone, visit or commitment.' })
  @IsString()
  id!: string;
}

@ArgsType()
export class NodesArgs {
  @Field(() => [ID], { description: `Ids of any kinds, at most ${MAX_PAGE_SIZE}.` })
  @ArrayMaxSize(MAX_PAGE_SIZE)
  @IsString({ each: true })
  ids!: string[];
}

/**
 * Relay's refetch by id. Every kind of node is readable by exactly the roles
 * that may read it by its own query (`unit(id:)`, `meeting(id:)`…): any
 * signed-in user. An id that names nothing is null, not an error, as Relay expects.
 */
@Resolver()
export class NodeResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Node, { nullable: true, description: 'Anything by its id, whatever its kind; null when the id names nothing.' })
  node(@Args(() => NodeArgs) { id }: NodeArgs, @Ctx() ctx: TashilContext): Promise<object | null> {
    return loaders(ctx).node.load(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => [Node], {
    nullable: 'items',
    description: `Many things by id in one round trip, in the order asked; null for an id that names nothing. At most ${MAX_PAGE_SIZE} ids.`,
  })
  nodes(@Args(() => NodesArgs) { ids }: NodesArgs, @Ctx() ctx: TashilContext): Promise<(object | null)[]> {
    return Promise.all(ids.map((id) => loaders(ctx).node.load(id)));
  }
}
