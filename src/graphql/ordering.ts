/**
 * `orderBy` of the lists frontends sort: a field and a direction. Without it
 * a list keeps the order it always had. A cursor carries its ordering, so it
 * continues only the ordering it came from (another one is BAD_USER_INPUT).
 */
import { IsEnum, IsOptional } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';
import { asEnum } from './enums';
import type { Direction } from './read-models';

export const OrderDirectionEnum = asEnum(['ASC', 'DESC'] as const);
registerEnumType(OrderDirectionEnum, {
  name: 'OrderDirection',
  description: 'Sort direction.',
  valuesConfig: {
    ASC: { description: 'Ascending: earliest, smallest or first in the Persian alphabet first.' },
    DESC: { description: 'Descending: latest, largest or last in the Persian alphabet first.' },
  },
});

export const UnitOrderFieldEnum = asEnum(['REGISTERED_AT', 'NAME'] as const);
registerEnumType(UnitOrderFieldEnum, {
  name: 'UnitOrderField',
  description: 'What production units (واحدهای تولیدی) can be sorted by.',
  valuesConfig: {
    REGISTERED_AT: { description: 'When the unit was registered (the default).' },
    NAME: { description: 'Name, in Persian alphabetical order (پ after ب, گ after ک; Arabic ي/ك as ی/ک).' },
  },
});

export const ObstacleOrderFieldEnum = asEnum(['RAISED_AT', 'DEADLINE', 'LAST_CHANGE'] as const);
registerEnumType(ObstacleOrderFieldEnum, {
  name: 'ObstacleOrderField',
  description: 'What obstacles (موانع) can be sorted by.',
  valuesConfig: {
    RAISED_AT: { description: 'When the obstacle was raised (the default).' },
    DEADLINE: { description: 'Deadline set at referral (مهلت); obstacles without one come after all others ascending, before them descending.' },
    LAST_CHANGE: { description: 'When anything last happened to it (referral, progress, resolution, escalation…).' },
  },
});

export const MeetingOrderFieldEnum = asEnum(['SCHEDULED_AT'] as const);
registerEnumType(MeetingOrderFieldEnum, {
  name: 'MeetingOrderField',
  description: 'What meetings (جلسات) can be sorted by.',
  valuesConfig: { SCHEDULED_AT: { description: 'When the meeting is (now) scheduled (the default).' } },
});

export const ResolutionOrderFieldEnum = asEnum(['RECORDED_AT', 'DEADLINE'] as const);
registerEnumType(ResolutionOrderFieldEnum, {
  name: 'ResolutionOrderField',
  description: 'What resolutions (مصوبات) can be sorted by.',
  valuesConfig: {
    RECORDED_AT: { description: 'When the resolution was recorded (the default).' },
    DEADLINE: { description: 'Its deadline (مهلت اجرا).' },
  },
});

const DIRECTION = { description: 'ASC (the default) or DESC.', defaultValue: 'ASC' as Direction };

@InputType({ description: 'How to sort production units (واحدهای تولیدی).' })
export class UnitOrder {
  @Field(() => UnitOrderFieldEnum, { description: 'The sort key.' })
  @IsEnum(UnitOrderFieldEnum)
  field!: keyof typeof UnitOrderFieldEnum;

  @Field(() => OrderDirectionEnum, DIRECTION)
  @IsOptional()
  @IsEnum(OrderDirectionEnum)
  direction?: Direction;
}

@InputType({ description: 'How to sort obstacles (موانع).' })
export class ObstacleOrder {
  @Field(() => ObstacleOrderFieldEnum, { description: 'The sort key.' })
  @IsEnum(ObstacleOrderFieldEnum)
  field!: keyof typeof ObstacleOrderFieldEnum;

  @Field(() => OrderDirectionEnum, DIRECTION)
  @IsOptional()
  @IsEnum(OrderDirectionEnum)
  direction?: Direction;
}

@InputType({ description: 'How to sort meetings (جلسات).' })
export class MeetingOrder {
  @Field(() => MeetingOrderFieldEnum, { description: 'The sort key.' })
  @IsEnum(MeetingOrderFieldEnum)
  field!: keyof typeof MeetingOrderFieldEnum;

  @Field(() => OrderDirectionEnum, DIRECTION)
  @IsOptional()
  @IsEnum(OrderDirectionEnum)
  direction?: Direction;
}

@InputType({ description: 'How to sort resolutions (مصوبات).' })
export class ResolutionOrder {
  @Field(() => ResolutionOrderFieldEnum, { description: 'The sort key.' })
  @IsEnum(ResolutionOrderFieldEnum)
  field!: keyof typeof ResolutionOrderFieldEnum;

  @Field(() => OrderDirectionEnum, DIRECTION)
  @IsOptional()
  @IsEnum(OrderDirectionEnum)
  direction?: Direction;
}
