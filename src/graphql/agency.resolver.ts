import { IsEnum, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { CommandOutcome } from '../commands/handler';
import type { AgencyKind } from '../domain/agency';
import { DeactivateAgencyInput, RegisterAgencyInput, RenameAgencyInput } from './agency.input';
import { Agency, AgencyConnection } from './agency.type';
import { auditTrail } from './audit.resolver';
import { AuditEventConnection } from './audit.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { AgencyKindEnum } from './enums';
import { afterCommand, MutationPayload } from './payload';
import { registryReads } from './registry.read-models';
import { OptionalText } from './validation';
import { loaders } from './loaders';

@ObjectType({ description: 'What an agency mutation returns: the agency as the read model holds it after the command.' })
export class AgencyPayload extends MutationPayload {
  @Field(() => Agency, { description: 'The agency after the command.' })
  agency!: Agency;
}

@ArgsType()
export class AgenciesArgs extends PageArgs {
  @Field(() => AgencyKindEnum, { nullable: true, description: 'Only agencies of this kind.' })
  @IsOptional()
  @IsEnum(AgencyKindEnum)
  kind?: AgencyKind | null;

  @Field(() => String, { nullable: true, description: 'Only agencies of this province (استان).' })
  @OptionalText(100)
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'Only agencies of this county (شهرستان); provincial offices have none.' })
  @OptionalText(100)
  county?: string | null;
}

const agencyPayload = async (ctx: TashilContext, outcome: CommandOutcome, agencyId: string): Promise<AgencyPayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'agencies', () => registryReads(ctx).agency(agencyId));
  return { ...rest, agency: entity };
};

@Resolver(() => Agency)
export class AgencyResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Agency, { nullable: true, description: 'An agency by id; null when there is none.' })
  agency(@Arg('id', () => ID, { description: 'Id of the agency (دستگاه اجرایی), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Agency | null {
    return registryReads(ctx).agency(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => AgencyConnection, { description: 'Agencies (دستگاه‌های اجرایی), oldest registration first, with filters; deactivated ones included.' })
  agencies(@Args(() => AgenciesArgs) args: AgenciesArgs, @Ctx() ctx: TashilContext): Page<Agency> {
    return registryReads(ctx).agencies(args, args);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [String], { description: 'Names it had before, oldest first (نام‌های پیشین), e.g. before offices merged.' })
  formerNames(@Root() agency: Agency, @Ctx() ctx: TashilContext): Promise<string[]> {
    return loaders(ctx).formerNames.load(agency.id);
  }

  @Authorized(READ_ROLES.auditTrail)
  @FieldResolver(() => AuditEventConnection, { description: "Every event of the agency's own stream." })
  auditTrail(@Root() agency: Agency, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext) {
    return auditTrail(ctx, 'AGENCY', agency.id, page);
  }

  @Authorized(rolesFor('RegisterAgency'))
  @Mutation(() => AgencyPayload, { description: 'Register an agency (ثبت دستگاه اجرایی) in a province, or in one of its counties.' })
  async registerAgency(@Arg('input', () => RegisterAgencyInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RegisterAgencyInput, @Ctx() ctx: TashilContext): Promise<AgencyPayload> {
    const outcome = await ctx.registry.registerAgency(input, commandContext(ctx, input));
    return agencyPayload(ctx, outcome, outcome.id);
  }

  @Authorized(rolesFor('RenameAgency'))
  @Mutation(() => AgencyPayload, {
    description: 'Rename an agency; its former name is kept. The same name again records nothing; a deactivated agency is INVALID_TRANSITION.',
  })
  async renameAgency(@Arg('input', () => RenameAgencyInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RenameAgencyInput, @Ctx() ctx: TashilContext): Promise<AgencyPayload> {
    const outcome = await ctx.registry.renameAgency({ agencyId: input.agencyId, name: input.name }, commandContext(ctx, input));
    return agencyPayload(ctx, outcome, input.agencyId);
  }

  @Authorized(rolesFor('DeactivateAgency'))
  @Mutation(() => AgencyPayload, { description: 'Deactivate a merged or dissolved agency, with the reason; it is never deleted. Twice is INVALID_TRANSITION.' })
  async deactivateAgency(
    @Arg('input', () => DeactivateAgencyInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: DeactivateAgencyInput,
    @Ctx() ctx: TashilContext,
  ): Promise<AgencyPayload> {
    const outcome = await ctx.registry.deactivateAgency({ agencyId: input.agencyId, reason: input.reason }, commandContext(ctx, input));
    return agencyPayload(ctx, outcome, input.agencyId);
  }
}
