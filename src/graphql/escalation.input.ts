import { IsEnum } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { EscalationLevel } from '../domain/obstacle';
import { ChangeInput } from './command-input';
import { EscalationLevelEnum } from './follow-up.enums';
import { Id, Text } from './validation';

@InputType({
  description:
    'Escalate an unresolved case one level up (ارجاع به سطح بالاتر): from the county workgroup to the province, from the province to the national headquarters.',
})
export class EscalateObstacleInput extends ChangeInput {
  @Field(() => ID, { description: 'The unresolved obstacle (پرونده) to escalate.' })
  @Id()
  obstacleId!: string;

  @Field(() => EscalationLevelEnum, { description: 'The level it goes to: the one above its current level.' })
  @IsEnum(EscalationLevelEnum)
  toLevel!: EscalationLevel;

  @Field(() => ID, { description: 'The registered body of that level (of the case’s province, for a provincial one).' })
  @Id()
  workgroupId!: string;

  @Field({ description: 'Why the lower body could not solve it.' })
  @Text(5000)
  reason!: string;
}
