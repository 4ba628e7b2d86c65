import { IsEnum, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { CommandOutcome } from '../commands/handler';
import type { WorkgroupLevel } from '../domain/workgroup';
import { auditTrail } from './audit.resolver';
import { AuditEventConnection } from './audit.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { WorkgroupLevelEnum } from './enums';
import { afterCommand, MutationPayload } from './payload';
import { registryReads } from './registry.read-models';
import { OptionalText } from './validation';
import { RegisterWorkgroupInput } from './workgroup.input';
import { Workgroup, WorkgroupConnection } from './workgroup.type';

@ObjectType({ description: 'What a workgroup mutation returns: the workgroup as the read model holds it after the command.' })
export class WorkgroupPayload extends MutationPayload {
  @Field(() => Workgroup, { description: 'The workgroup after the command.' })
  workgroup!: Workgroup;
}

@ArgsType()
export class WorkgroupsArgs extends PageArgs {
  @Field(() => WorkgroupLevelEnum, { nullable: true, description: 'Only bodies of this level.' })
  @IsOptional()
  @IsEnum(WorkgroupLevelEnum)
  level?: WorkgroupLevel | null;

  @Field(() => String, { nullable: true, description: 'Only bodies of this province (استان), county and provincial ones alike.' })
  @OptionalText(100)
  province?: string | null;
}

const workgroupPayload = async (ctx: TashilContext, outcome: CommandOutcome, workgroupId: string): Promise<WorkgroupPayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'workgroups', () => registryReads(ctx).workgroup(workgroupId));
  return { ...rest, workgroup: entity };
};

@Resolver(() => Workgroup)
export class WorkgroupResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Workgroup, { nullable: true, description: 'A workgroup by id; null when there is none.' })
  workgroup(@Arg('id', () => ID, { description: 'Id of the workgroup (کارگروه), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Workgroup | null {
    return registryReads(ctx).workgroup(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => WorkgroupConnection, { description: 'Workgroups (کارگروه‌ها), oldest registration first, with filters.' })
  workgroups(@Args(() => WorkgroupsArgs) args: WorkgroupsArgs, @Ctx() ctx: TashilContext): Page<Workgroup> {
    return registryReads(ctx).workgroups(args, args);
  }

  @Authorized(READ_ROLES.auditTrail)
  @FieldResolver(() => AuditEventConnection, { description: "Every event of the workgroup's own stream, session numbers included." })
  auditTrail(@Root() workgroup: Workgroup, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext) {
    return auditTrail(ctx, 'WORKGROUP', workgroup.id, page);
  }

  @Authorized(rolesFor('RegisterWorkgroup'))
  @Mutation(() => WorkgroupPayload, {
    description: 'Register a county or provincial workgroup, or the national headquarters (ثبت کارگروه). Its sessions are numbered 1, 2, 3… as meetings are scheduled.',
  })
  async registerWorkgroup(
    @Arg('input', () => RegisterWorkgroupInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RegisterWorkgroupInput,
    @Ctx() ctx: TashilContext,
  ): Promise<WorkgroupPayload> {
    const outcome = await ctx.registry.registerWorkgroup(input, commandContext(ctx, input));
    return workgroupPayload(ctx, outcome, outcome.id);
  }
}
