import { Field, ID, ObjectType } from 'type-graphql';
import type { ObstacleLevel } from '../domain/obstacle';
import { ObstacleLevelEnum } from './follow-up.enums';

@ObjectType({
  description:
    'A stretch of a case’s life at one level: with the county workgroup from the day it was raised, then with each body it was escalated to (ارجاع به سطح بالاتر).',
})
export class ObstacleLevelPeriod {
  @Field(() => ObstacleLevelEnum, { description: 'The level the case was at during this period.' })
  level!: ObstacleLevel;

  @Field(() => ObstacleLevelEnum, { nullable: true, description: 'The level it was escalated from; null for the first period.' })
  fromLevel!: ObstacleLevel | null;

  @Field(() => ID, { nullable: true, description: 'The body (کارگروه / ستاد) it was escalated to; null while with the county workgroup that raised it.' })
  workgroupId!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was escalated; null for the first period.' })
  reason!: string | null;

  @Field(() => Date, { description: 'When the case reached this level.' })
  since!: Date;

  @Field({ description: 'Who raised or escalated it (the subject of their token).' })
  actor!: string;
}
