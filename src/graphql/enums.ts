import { registerEnumType } from 'type-graphql';
import { AGENDA_ITEM_KINDS, MEETING_STATUSES } from '../domain/meeting';
import { OBSTACLE_CATEGORIES, OBSTACLE_PRIORITIES, OBSTACLE_STATUSES } from '../domain/obstacle';
import { ACTIVITY_STATUSES } from '../domain/unit';
import { TIMELINE_KINDS } from '../../projections/unit-history';

/** GraphQL enums straight from the domain's lists, so the two never drift apart. */
const asEnum = <T extends string>(values: readonly T[]): Record<T, T> =>
  Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const ActivityStatusEnum = asEnum(ACTIVITY_STATUSES);
export const ObstacleCategoryEnum = asEnum(OBSTACLE_CATEGORIES);
export const ObstaclePriorityEnum = asEnum(OBSTACLE_PRIORITIES);
export const ObstacleStatusEnum = asEnum(OBSTACLE_STATUSES);
export const MeetingStatusEnum = asEnum(MEETING_STATUSES);
export const AgendaItemKindEnum = asEnum(AGENDA_ITEM_KINDS);
export const TimelineKindEnum = asEnum(TIMELINE_KINDS);
export const AggregateKindEnum = asEnum(['UNIT', 'OBSTACLE', 'MEETING'] as const);
export type AggregateKind = keyof typeof AggregateKindEnum;
export const ProjectionStateEnum = asEnum(['CATCHING_UP', 'LIVE', 'PAUSED', 'FAILED', 'STOPPED'] as const);

registerEnumType(ActivityStatusEnum, {
  name: 'ActivityStatus',
  description: 'Activity status of a production unit (وضعیت فعالیت).',
  valuesConfig: {
    ACTIVE: { description: 'Active (فعال).' },
    SEMI_ACTIVE: { description: 'Semi-active, under about 50 % of capacity (نیمه‌فعال).' },
    INACTIVE: { description: 'Inactive or idle (غیرفعال / راکد).' },
  },
});
registerEnumType(ObstacleCategoryEnum, {
  name: 'ObstacleCategory',
  description: 'Kind of obstacle (نوع مانع).',
  valuesConfig: {
    BANKING: { description: 'Banking facilities and rescheduling (تسهیلات بانکی و امهال).' },
    SOCIAL_SECURITY: { description: 'Social-security or insurance debt (تامین اجتماعی و بیمه).' },
    TAX: { description: 'Tax (مالیات).' },
    CUSTOMS: { description: 'Customs (گمرک).' },
    UTILITIES: { description: 'Water, electricity, gas, fuel (آب، برق، گاز، سوخت).' },
    LAND: { description: 'Land and relocation (زمین و جابه‌جایی).' },
    PERMITS: { description: 'Permits and standards (مجوز و استاندارد).' },
    RAW_MATERIALS: { description: 'Raw materials and foreign exchange (مواد اولیه و ارز).' },
    MUNICIPAL: { description: 'Municipal (شهرداری).' },
    TELECOM: { description: 'Telecom (مخابرات).' },
    ENVIRONMENT: { description: 'Environment (محیط زیست).' },
    JUDICIAL: { description: 'Judicial (قضایی).' },
    OTHER: { description: 'Other (سایر).' },
  },
});
registerEnumType(ObstaclePriorityEnum, { name: 'ObstaclePriority', description: 'Priority of an obstacle (اولویت).' });
registerEnumType(ObstacleStatusEnum, {
  name: 'ObstacleStatus',
  description: 'Where an obstacle stands.',
  valuesConfig: {
    OPEN: { description: 'Raised, not referred yet (ثبت‌شده).' },
    REFERRED: { description: 'Referred to a lead agency (ارجاع‌شده).' },
    IN_PROGRESS: { description: 'The lead agency reported progress (در دست اقدام).' },
    RESOLVED: { description: 'Resolved (رفع‌شده).' },
  },
});
registerEnumType(MeetingStatusEnum, { name: 'MeetingStatus', description: 'Where a meeting stands.' });
registerEnumType(AgendaItemKindEnum, { name: 'AgendaItemKind', description: 'What an agenda item is about.' });
registerEnumType(TimelineKindEnum, { name: 'TimelineKind', description: "Kind of entry in a unit's history." });
registerEnumType(AggregateKindEnum, { name: 'AggregateKind', description: 'Kinds of things whose full event history can be read.' });
registerEnumType(ProjectionStateEnum, { name: 'ProjectionState', description: 'What a projection is doing.' });
