import { registerEnumType } from 'type-graphql';
import { AGENDA_ITEM_KINDS, MEETING_STATUSES } from '../domain/meeting';
import { OBSTACLE_CATEGORIES, OBSTACLE_PRIORITIES, OBSTACLE_STATUSES } from '../domain/obstacle';
import { AGENCY_KINDS, AGENCY_STATUSES } from '../domain/agency';
import { ACTIVITY_STATUSES } from '../domain/unit';
import { WORKGROUP_LEVELS } from '../domain/workgroup';
import { CONVERSION_STAGES, ZONE_KINDS } from '../domain/zone';
import { TIMELINE_KINDS } from '../../projections/unit-history';
import { AUDITED_DECIDERS, type AuditedKind } from '../audit/replay';

/** GraphQL enums straight from the domain's lists, so the two never drift apart. */
export const asEnum = <T extends string>(values: readonly T[]): Record<T, T> =>
  Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const ActivityStatusEnum = asEnum(ACTIVITY_STATUSES);
export const ObstacleCategoryEnum = asEnum(OBSTACLE_CATEGORIES);
export const ObstaclePriorityEnum = asEnum(OBSTACLE_PRIORITIES);
export const ObstacleStatusEnum = asEnum(OBSTACLE_STATUSES);
export const MeetingStatusEnum = asEnum(MEETING_STATUSES);
export const AgendaItemKindEnum = asEnum(AGENDA_ITEM_KINDS);
export const TimelineKindEnum = asEnum(TIMELINE_KINDS);
/** Every aggregate an auditor can read: the replay's deciders name them, so a new aggregate cannot be left out. */
export const AggregateKindEnum = asEnum(Object.keys(AUDITED_DECIDERS) as AuditedKind[]);
export type AggregateKind = keyof typeof AggregateKindEnum;
export const ProjectionStateEnum = asEnum(['CATCHING_UP', 'LIVE', 'PAUSED', 'FAILED', 'REBUILDING', 'STOPPED'] as const);

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
registerEnumType(ObstaclePriorityEnum, {
  name: 'ObstaclePriority',
  description: 'Priority of an obstacle (اولویت).',
  valuesConfig: {
    LOW: { description: 'Low (کم).' },
    NORMAL: { description: 'Normal (عادی).' },
    HIGH: { description: 'High (زیاد).' },
    URGENT: { description: 'Urgent (فوری): the unit may stop without it.' },
  },
});
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
registerEnumType(MeetingStatusEnum, {
  name: 'MeetingStatus',
  description: 'Where a meeting (جلسه) stands.',
  valuesConfig: {
    SCHEDULED: { description: 'Scheduled, not held yet (برنامه‌ریزی‌شده).' },
    POSTPONED: { description: 'Postponed to a later time (به تعویق افتاده); it can still be held.' },
    HELD: { description: 'Held (برگزار شد): attendees and minutes recorded; resolutions may be recorded.' },
    CANCELLED: { description: 'Cancelled (لغو شد).' },
  },
});
registerEnumType(AgendaItemKindEnum, {
  name: 'AgendaItemKind',
  description: 'What an agenda item (دستور جلسه) is about.',
  valuesConfig: {
    UNIT: { description: 'A production unit (واحد تولیدی) to review as a whole.' },
    OBSTACLE: { description: 'One obstacle (مانع / پرونده) of a unit.' },
  },
});
registerEnumType(TimelineKindEnum, {
  name: 'TimelineKind',
  description: "Kind of entry in a unit's history (سوابق واحد).",
  valuesConfig: {
    REGISTERED: { description: 'The unit was registered (ثبت واحد).' },
    ACTIVITY_STATUS_CHANGED: { description: 'Its activity status changed, with the reason (تغییر وضعیت فعالیت).' },
    OBSTACLE_RAISED: { description: 'An obstacle was raised for it (ثبت مانع).' },
    OBSTACLE_REFERRED: { description: 'One of its obstacles was referred to a lead agency (ارجاع).' },
    OBSTACLE_PROGRESS: { description: 'Progress was recorded on one of its obstacles (پیشرفت).' },
    OBSTACLE_RESOLVED: { description: 'One of its obstacles was resolved (رفع مانع).' },
    OBSTACLE_REOPENED: { description: 'One of its obstacles was reopened (بازگشایی).' },
    PUT_ON_AGENDA: { description: 'It or one of its obstacles was put on a meeting’s agenda (دستور جلسه).' },
    DISCUSSED_IN_MEETING: { description: 'A meeting that had it on the agenda was held (بررسی در جلسه).' },
    RESOLUTION_RECORDED: { description: 'A resolution about it was recorded (مصوبه).' },
  },
});
registerEnumType(AggregateKindEnum, {
  name: 'AggregateKind',
  description: 'Kinds of things whose full event history can be read (each one is a stream `<kind>-<id>`).',
  valuesConfig: {
    UNIT: { description: 'A production unit (واحد تولیدی).' },
    OBSTACLE: { description: 'An obstacle or case (مانع / پرونده).' },
    MEETING: { description: 'A meeting (جلسه).' },
    RESOLUTION: { description: 'A resolution (مصوبه), from its communication on.' },
    ZONE: { description: 'A zone: park or cluster (شهرک / لکه صنعتی).' },
    VISIT: { description: 'A field visit (بازدید).' },
    COMMITMENT: { description: 'A commitment (قول / تعهد).' },
    AGENCY: { description: 'An agency (دستگاه اجرایی).' },
    WORKGROUP: { description: 'A workgroup (کارگروه) or the national headquarters.' },
    ACCESS: { description: "A person's access (دسترسی), by token subject: the revocations of their tokens. ADMIN and AUDITOR only." },
  },
});
registerEnumType(ProjectionStateEnum, {
  name: 'ProjectionState',
  description: 'What a projection (read model) is doing.',
  valuesConfig: {
    CATCHING_UP: { description: 'Applying past events to reach the head of the store.' },
    LIVE: { description: 'At the head, applying new events as they are recorded.' },
    PAUSED: { description: 'Paused by an operator (`pauseProjection`); its rows stay as they were.' },
    FAILED: { description: 'Stopped on an event its handler could not apply; see `lastError`.' },
    REBUILDING: { description: 'Being rebuilt from the first event beside the live copy, which keeps serving.' },
    STOPPED: { description: 'Stopped with the process.' },
  },
});

// ─── Registries ────────────────────────────────────────────────────────────

export const AgencyKindEnum = asEnum(AGENCY_KINDS);
export const AgencyStatusEnum = asEnum(AGENCY_STATUSES);
export const WorkgroupLevelEnum = asEnum(WORKGROUP_LEVELS);
export const ZoneKindEnum = asEnum(ZONE_KINDS);
export const ConversionStageEnum = asEnum(CONVERSION_STAGES);

registerEnumType(AgencyKindEnum, {
  name: 'AgencyKind',
  description: 'Kind of agency (نوع دستگاه).',
  valuesConfig: {
    SMT: { description: 'Industry, Mine and Trade office (اداره / سازمان صنعت، معدن و تجارت).' },
    SOCIAL_SECURITY: { description: 'Social security (تامین اجتماعی).' },
    INSURANCE: { description: 'Insurance (بیمه).' },
    TAX: { description: 'Tax administration (امور مالیاتی).' },
    CUSTOMS: { description: 'Customs (گمرک).' },
    LABOUR: { description: 'Labour and social welfare (کار و رفاه اجتماعی).' },
    BANK: { description: 'A bank (بانک).' },
    WATER: { description: 'Water and wastewater company (آب و فاضلاب).' },
    ELECTRICITY: { description: 'Electricity distribution company (توزیع برق).' },
    GAS: { description: 'Gas company (گاز).' },
    INDUSTRIAL_PARKS: { description: 'Industrial-parks company (شرکت شهرک‌های صنعتی).' },
    MUNICIPALITY: { description: 'Municipality (شهرداری).' },
    TELECOM: { description: 'Telecom (مخابرات).' },
    ENVIRONMENT: { description: 'Environment office (محیط زیست).' },
    GOVERNORATE: { description: 'Governorate-general or county governorate (استانداری / فرمانداری).' },
    JUDICIARY: { description: 'Judiciary (دادگستری).' },
    OTHER: { description: 'Other (سایر).' },
  },
});
registerEnumType(AgencyStatusEnum, {
  name: 'AgencyStatus',
  description: 'Whether an agency is still in service.',
  valuesConfig: {
    ACTIVE: { description: 'In service (فعال).' },
    DEACTIVATED: { description: 'Merged or dissolved; kept so old resolutions still name it (غیرفعال).' },
  },
});
registerEnumType(WorkgroupLevelEnum, {
  name: 'WorkgroupLevel',
  description: 'Level of a facilitation body.',
  valuesConfig: {
    COUNTY: { description: 'County workgroup (کارگروه ستاد تسهیل شهرستان), chaired by the county governor (فرماندار).' },
    PROVINCE: { description: 'Provincial workgroup (کارگروه استان), chaired by the governor-general (استاندار) or the economic deputy.' },
    NATIONAL: { description: 'The national headquarters (ستاد تسهیل و رفع موانع تولید), chaired by the Minister of Industry, Mine and Trade.' },
  },
});
registerEnumType(ZoneKindEnum, {
  name: 'ZoneKind',
  description: 'Kind of zone.',
  valuesConfig: {
    INDUSTRIAL_PARK: { description: 'Industrial park (شهرک صنعتی), e.g. «شهرک صنعتی خوارزمی»; also a converted cluster.' },
    SPECIALISED_PARK: { description: 'Specialised park (شهرک تخصصی), e.g. a shoe city (شهرک تخصصی کفش).' },
    INDUSTRIAL_CLUSTER: { description: 'Unplanned industrial cluster (لکه صنعتی) awaiting conversion into a park.' },
  },
});
registerEnumType(ConversionStageEnum, {
  name: 'ConversionStage',
  description: "A cluster's way to a non-governmental industrial park (شهرک صنعتی غیردولتی), in order; stages only move forward.",
  valuesConfig: {
    IDENTIFIED: { description: 'Identified (شناسایی شده): where every cluster starts.' },
    APPLICATION_FILED: { description: 'Application filed (درخواست ثبت شد).' },
    PERMIT_ISSUED: { description: 'Permit issued (مجوز صادر شد).' },
    INFRASTRUCTURE: { description: 'Infrastructure being provided: water, power, gas, telecom, paving (تامین زیرساخت).' },
    CONVERTED: { description: 'Converted: a non-governmental industrial park (شهرک صنعتی غیردولتی).' },
  },
});
