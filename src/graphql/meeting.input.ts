import { ArrayMaxSize, ArrayMinSize, IsDate, IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { AgendaItemKind } from '../domain/meeting';
import { AssignmentInput, ChangeInput, CommandInput } from './command-input';
import { AgendaItemKindEnum } from './enums';
import { Id, OptionalText, Text } from './validation';

@InputType({ description: 'Schedule a meeting of a county workgroup.' })
export class ScheduleMeetingInput extends CommandInput {
  @Field(() => ID, { nullable: true, description: 'The workgroup meeting; the system gives the meeting its next sequence number (شماره جلسه).' })
  @IsOptional()
  @Id()
  workgroupId?: string | null;

  @Field({ description: 'Province (استان).' })
  @Text(100)
  province!: string;

  @Field({ description: 'County (شهرستان) of the workgroup.' })
  @Text(100)
  county!: string;

  @Field({ description: 'Title (e.g. «جلسه کارگروه ستاد تسهیل شهرستان پاکدشت»).' })
  @Text(300)
  title!: string;

  @Field(() => Date, { description: 'When it takes place; ISO-8601 or Jalali, Tehran time.' })
  @IsDate()
  scheduledAt!: Date;

  @Field({ description: 'Where, often a unit’s own premises.' })
  @Text(300)
  venue!: string;

  @Field({ description: 'Who chairs it (رئیس جلسه).' })
  @Text(200)
  chair!: string;
}

@InputType({ description: 'Put a unit or an obstacle on a meeting’s agenda.' })
export class AddAgendaItemInput extends ChangeInput {
  @Field(() => ID, { description: 'The meeting (جلسه), not held, cancelled or past yet.' })
  @Id()
  meetingId!: string;

  @Field(() => AgendaItemKindEnum, { description: 'A unit reviewed as a whole, or one of its obstacles.' })
  @IsEnum(AgendaItemKindEnum)
  kind!: AgendaItemKind;

  @Field(() => ID, { description: 'Id of the unit or obstacle.' })
  @Id()
  subjectId!: string;

  @Field(() => String, { nullable: true, description: 'Why it is on the agenda, optional.' })
  @OptionalText(2000)
  note?: string | null;
}

@InputType({ description: 'Someone who attended a meeting (حاضر در جلسه).' })
export class AttendeeInput {
  @Field({ description: 'Name, as written in the minutes.' })
  @Text(200)
  name!: string;

  @Field({ description: 'The agency they represent (دستگاه).' })
  @Text(200)
  agency!: string;

  @Field(() => String, { nullable: true, description: 'Their role in the meeting, optional (e.g. رئیس جلسه).' })
  @OptionalText(200)
  role?: string | null;
}

@InputType({ description: 'Record that a meeting took place, who attended, and its minutes.' })
export class RecordMeetingHeldInput extends ChangeInput {
  @Field(() => ID, { description: 'The meeting (جلسه) that took place.' })
  @Id()
  meetingId!: string;

  @Field(() => Date, { nullable: true, description: 'When it was held, as shown on the meeting; defaults to `occurredAt`, which dates the record (send that for a meeting entered late).' })
  @IsOptional()
  @IsDate()
  heldAt?: Date | null;

  @Field(() => [AttendeeInput], { description: 'Who attended (حاضران), with their agencies.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  attendees!: AttendeeInput[];

  @Field({ description: 'The minutes (صورتجلسه).' })
  @Text(50_000)
  minutes!: string;
}

@InputType({ description: 'Record a resolution (مصوبه) of a held meeting.' })
export class RecordResolutionInput extends AssignmentInput {
  @Field(() => ID, { description: 'The held meeting (جلسه) that resolved it.' })
  @Id()
  meetingId!: string;

  @Field({ description: 'What was resolved ("مقرر شد …").' })
  @Text(5000)
  text!: string;


  @Field(() => ID, { nullable: true, description: 'The obstacle this resolution settles, if any.' })
  @IsOptional()
  @Id()
  obstacleId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The unit it concerns (taken from the obstacle when one is given).' })
  @IsOptional()
  @Id()
  unitId?: string | null;
}

@InputType({ description: 'Postpone a meeting to a later time.' })
export class PostponeMeetingInput extends ChangeInput {
  @Field(() => ID, { description: 'The meeting (جلسه) to postpone.' })
  @Id()
  meetingId!: string;

  @Field(() => Date, { description: 'The new time (ISO-8601 or Jalali, Tehran time).' })
  @IsDate()
  to!: Date;

  @Field({ description: 'Why it is postponed.' })
  @Text(2000)
  reason!: string;
}

@InputType({ description: 'Cancel a meeting.' })
export class CancelMeetingInput extends ChangeInput {
  @Field(() => ID, { description: 'The meeting (جلسه) to cancel; one already held or cancelled is INVALID_TRANSITION.' })
  @Id()
  meetingId!: string;

  @Field({ description: 'Why it is cancelled.' })
  @Text(2000)
  reason!: string;
}
