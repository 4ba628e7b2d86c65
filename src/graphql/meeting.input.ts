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

  @Field()
  @Text(100)
  province!: string;

  @Field()
  @Text(100)
  county!: string;

  @Field()
  @Text(300)
  title!: string;

  @Field(() => Date)
  @IsDate()
  scheduledAt!: Date;

  @Field()
  @Text(300)
  venue!: string;

  @Field()
  @Text(200)
  chair!: string;
}

@InputType({ description: 'Put a unit or an obstacle on a meeting’s agenda.' })
export class AddAgendaItemInput extends ChangeInput {
  @Field(() => ID)
  @Id()
  meetingId!: string;

  @Field(() => AgendaItemKindEnum)
  @IsEnum(AgendaItemKindEnum)
  kind!: AgendaItemKind;

  @Field(() => ID, { description: 'Id of the unit or obstacle.' })
  @Id()
  subjectId!: string;

  @Field(() => String, { nullable: true })
  @OptionalText(2000)
  note?: string | null;
}

@InputType()
export class AttendeeInput {
  @Field()
  @Text(200)
  name!: string;

  @Field()
  @Text(200)
  agency!: string;

  @Field(() => String, { nullable: true })
  @OptionalText(200)
  role?: string | null;
}

@InputType({ description: 'Record that a meeting took place, who attended, and its minutes.' })
export class RecordMeetingHeldInput extends ChangeInput {
  @Field(() => ID)
  @Id()
  meetingId!: string;

  @Field(() => Date, { nullable: true, description: 'Defaults to now.' })
  @IsOptional()
  @IsDate()
  heldAt?: Date | null;

  @Field(() => [AttendeeInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  attendees!: AttendeeInput[];

  @Field()
  @Text(50_000)
  minutes!: string;
}

@InputType({ description: 'Record a resolution (مصوبه) of a held meeting.' })
export class RecordResolutionInput extends AssignmentInput {
  @Field(() => ID)
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
  @Field(() => ID)
  @Id()
  meetingId!: string;

  @Field(() => Date)
  @IsDate()
  to!: Date;

  @Field()
  @Text(2000)
  reason!: string;
}

@InputType({ description: 'Cancel a meeting.' })
export class CancelMeetingInput extends ChangeInput {
  @Field(() => ID)
  @Id()
  meetingId!: string;

  @Field()
  @Text(2000)
  reason!: string;
}
