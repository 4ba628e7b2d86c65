import { ArrayMaxSize, IsDate, IsEnum, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { CommitmentSource } from '../domain/commitment';
import { ChangeInput, CommandInput } from './command-input';
import { CommitmentSourceKindEnum } from './follow-up.enums';
import { Id, OptionalText, Text } from './validation';

@InputType({ description: 'The meeting or visit where a promise was made.' })
export class CommitmentSourceInput {
  @Field(() => CommitmentSourceKindEnum, { description: 'A meeting (جلسه) or a field visit (بازدید).' })
  @IsEnum(CommitmentSourceKindEnum)
  kind!: CommitmentSource['kind'];

  @Field(() => ID, { description: 'Id of the meeting or visit.' })
  @Id()
  id!: string;
}

@InputType({ description: 'Record a commitment (ثبت قول / تعهد) an official or agency made in a meeting or on a visit.' })
export class MakeCommitmentInput extends CommandInput {
  @Field({ description: 'Who promised, e.g. «حشمت الله عسگری، معاون اقتصادی استاندار تهران».' })
  @Text(300)
  madeBy!: string;

  @Field(() => String, { nullable: true, description: 'The agency bound by the promise, when one is.' })
  @OptionalText(200)
  agency?: string | null;

  @Field({ description: 'To whom, in words, e.g. «تولیدکنندگان کفش اسلامشهر».' })
  @Text(300)
  madeTo!: string;

  @Field({ description: 'What was promised, e.g. «احداث شهر کفش».' })
  @Text(5000)
  description!: string;

  @Field(() => Date, { description: 'By when (مهلت).' })
  @IsDate()
  dueDate!: Date;

  @Field(() => CommitmentSourceInput, { description: 'The meeting or visit where it was made; the commitment belongs to its county.' })
  @ValidateNested()
  source!: CommitmentSourceInput;

  @Field(() => ID, { nullable: true, description: 'The zone it concerns, if any.' })
  @IsOptional()
  @Id()
  zoneId?: string | null;

  @Field(() => [ID], { defaultValue: [], description: 'The units it concerns, if any.' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'each of $property must be an id issued by this API' })
  unitIds!: string[];
}

@InputType({ description: 'Record that a commitment was kept (عمل به قول), with the evidence.' })
export class RecordCommitmentKeptInput extends ChangeInput {
  @Field(() => ID, { description: 'The open commitment (قول / تعهد).' })
  @Id()
  commitmentId!: string;

  @Field({ description: 'What shows it was kept.' })
  @Text(5000)
  evidence!: string;
}

@InputType({ description: 'Record that a commitment was broken (عدم عمل به قول), with the evidence.' })
export class RecordCommitmentBrokenInput extends ChangeInput {
  @Field(() => ID, { description: 'The open commitment (قول / تعهد).' })
  @Id()
  commitmentId!: string;

  @Field({ description: 'What shows it was broken.' })
  @Text(5000)
  evidence!: string;
}

@InputType({ description: 'Extend an open commitment to a later due date (تمدید مهلت); the date first promised is kept.' })
export class ExtendCommitmentInput extends ChangeInput {
  @Field(() => ID, { description: 'The open commitment (قول / تعهد).' })
  @Id()
  commitmentId!: string;

  @Field(() => Date, { description: 'The new due date: after the current one.' })
  @IsDate()
  newDueDate!: Date;

  @Field({ description: 'Why it was extended.' })
  @Text(2000)
  reason!: string;
}
