import { IsDate, IsOptional } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AgencyList, Id, OptionalText, Revision } from './validation';

@InputType('CommandInput', { description: 'Options every command accepts.' })
export abstract class CommandInput {
  @Field(() => String, {
    nullable: true,
    description: 'Send the same key when retrying: the retry returns the first result and records nothing new.',
  })
  @OptionalText(200)
  idempotencyKey?: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When it happened, if not now (ISO-8601 or Jalali, Tehran time): a meeting held last Wednesday, entered today. Not in the future ' +
      'and not further back than the server allows (TASHIL_MAX_BACKDATE_DAYS); the store records when it was entered beside it.',
  })
  @IsOptional()
  @IsDate()
  occurredAt?: Date | null;

  @Field(() => String, { nullable: true, description: "Your own id for the user action this command is part of (defaults to the request's `x-request-id`); recorded as the events' `clientCorrelationId`, beside the server's own correlation id." })
  @OptionalText(200)
  correlationId?: string | null;
}

@InputType('ChangeInput', { description: 'Options of commands that change an existing thing.' })
export abstract class ChangeInput extends CommandInput {
  @Field(() => String, {
    nullable: true,
    description: 'The revision your screen showed: if someone changed it since, the command fails with CONFLICT.',
  })
  @Revision()
  expectedRevision?: string | null;
}

/** What a referral and a resolution both assign: a lead agency, cooperating agencies and a deadline. */
@InputType('AssignmentInput', { description: 'A lead agency, cooperating agencies and a deadline.' })
export abstract class AssignmentInput extends ChangeInput {
  @Field(() => ID, { nullable: true, description: 'The lead agency in the agency registry (preferred); its registered name is recorded.' })
  @IsOptional()
  @Id()
  leadAgencyId?: string | null;

  @Field(() => String, { nullable: true, description: 'The lead agency by name, for one not in the registry; must match the registered name when leadAgencyId is given.' })
  @OptionalText(200)
  leadAgency?: string | null;

  @Field(() => [String], { defaultValue: [], description: 'Agencies asked to cooperate (دستگاه‌های همکار), by name.' })
  @AgencyList()
  cooperatingAgencies!: string[];

  @Field(() => Date, { description: 'Deadline (مهلت): ISO-8601 or Jalali (Tehran time); not before the referral or the meeting.' })
  @IsDate()
  deadline!: Date;
}
