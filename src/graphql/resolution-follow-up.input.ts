import { IsBoolean, IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { ResolutionOutcome } from '../domain/resolution';
import { ChangeInput } from './command-input';
import { ResolutionOutcomeEnum } from './follow-up.enums';
import { Id, OptionalText, Text } from './validation';

@InputType({ description: 'Communicate a recorded resolution to the agencies (ابلاغ مصوبه); the objection window opens now.' })
export class CommunicateResolutionInput extends ChangeInput {
  @Field(() => ID, { description: 'The recorded resolution (مصوبه) to communicate.' })
  @Id()
  resolutionId!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Days the lead agency has to object (مهلت اعتراض); defaults to the configured window (15 days unless TASHIL_OBJECTION_WINDOW_DAYS says otherwise).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  objectionWindowDays?: number | null;
}

@InputType({ description: 'The lead agency objects to a communicated resolution (اعتراض به مصوبه), within the window, once.' })
export class ObjectToResolutionInput extends ChangeInput {
  @Field(() => ID, { description: 'The communicated resolution (مصوبه).' })
  @Id()
  resolutionId!: string;

  @Field({ description: 'Why the agency objects.' })
  @Text(5000)
  reason!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The objecting agency: an AGENCY user always objects for their own agency; an ADMIN names it here.',
  })
  @OptionalText(200)
  agency?: string | null;
}

@InputType({ description: 'The workgroup decides an objection: accepted withdraws the resolution, rejected lets it stand.' })
export class DecideObjectionInput extends ChangeInput {
  @Field(() => ID, { description: 'The objected resolution (مصوبه).' })
  @Id()
  resolutionId!: string;

  @Field({ description: 'True: the objection is accepted and the resolution withdrawn; false: it is rejected.' })
  @IsBoolean()
  accepted!: boolean;

  @Field({ description: 'The reasoning of the decision.' })
  @Text(5000)
  note!: string;
}

@InputType({ description: 'Report progress on a communicated resolution (گزارش پیشرفت).' })
export class ReportResolutionProgressInput extends ChangeInput {
  @Field(() => ID, { description: 'The communicated resolution (مصوبه).' })
  @Id()
  resolutionId!: string;

  @Field({ description: 'What was done so far.' })
  @Text(5000)
  note!: string;
}

@InputType({
  description:
    'Record how a resolution ended: implemented, not implemented, or no action (بلااقدام). When it was the last unsettled resolution of its case, the case closes.',
})
export class RecordResolutionOutcomeInput extends ChangeInput {
  @Field(() => ID, { description: 'The communicated resolution (مصوبه).' })
  @Id()
  resolutionId!: string;

  @Field(() => ResolutionOutcomeEnum, { description: 'How it ended (اجرا شد، اجرا نشد، بلااقدام).' })
  @IsEnum(ResolutionOutcomeEnum)
  outcome!: ResolutionOutcome;

  @Field({ description: 'How it ended, e.g. the letter that proves it.' })
  @Text(5000)
  note!: string;
}
