import { ArrayMaxSize, ArrayMinSize, IsDate, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ChangeInput, CommandInput } from './command-input';
import { Id, OptionalText, Text } from './validation';

@InputType({ description: 'An official who took part in a visit.' })
export class VisitorInput {
  @Field({ description: 'Name, as given.' })
  @Text(200)
  name!: string;

  @Field({ description: 'The agency or office they represented.' })
  @Text(200)
  agency!: string;

  @Field(() => String, { nullable: true, description: 'Their position, e.g. «معاون اقتصادی استاندار».' })
  @OptionalText(200)
  role?: string | null;
}

@InputType({ description: 'Record a field visit (ثبت بازدید) to production units or a zone.' })
export class RecordVisitInput extends CommandInput {
  @Field(() => Date, { nullable: true, description: 'When it took place, as shown on the visit; defaults to `occurredAt`, which dates the record (send that for a visit entered late).' })
  @IsOptional()
  @IsDate()
  visitedAt?: Date | null;

  @Field(() => [VisitorInput], { description: 'Who went: at least one.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  visitors!: VisitorInput[];

  @Field(() => [ID], { defaultValue: [], description: 'Registered units visited.' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'each of $property must be an id issued by this API' })
  unitIds!: string[];

  @Field(() => ID, { nullable: true, description: 'The zone visited, for a visit to a whole park or cluster.' })
  @IsOptional()
  @Id()
  zoneId?: string | null;

  @Field({ description: 'Province (استان).' })
  @Text(100)
  province!: string;

  @Field({ description: 'County (شهرستان).' })
  @Text(100)
  county!: string;

  @Field({ description: 'Why they went (هدف بازدید).' })
  @Text(2000)
  purpose!: string;
}

@InputType({ description: 'Write down what a visit found (یافته‌های بازدید); findings are only added, never edited.' })
export class RecordVisitFindingsInput extends ChangeInput {
  @Field(() => ID, { description: 'The field visit (بازدید).' })
  @Id()
  visitId!: string;

  @Field({ description: 'What the visitors found (یافته‌ها), as written.' })
  @Text(20_000)
  findings!: string;
}
