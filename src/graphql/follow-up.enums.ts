/** GraphQL enums of the follow-up, straight from the domain's lists. */
import { registerEnumType } from 'type-graphql';
import { COMMITMENT_SOURCE_KINDS, COMMITMENT_STATUSES } from '../domain/commitment';
import { OBSTACLE_LEVELS, type EscalationLevel } from '../domain/obstacle';
import { RESOLUTION_OUTCOMES, RESOLUTION_STATUSES } from '../domain/resolution';
import { asEnum } from './enums';

export const ResolutionStatusEnum = asEnum(RESOLUTION_STATUSES);
export const ResolutionOutcomeEnum = asEnum(RESOLUTION_OUTCOMES);
export const ObstacleLevelEnum = asEnum(OBSTACLE_LEVELS);
export const EscalationLevelEnum = asEnum(OBSTACLE_LEVELS.filter((l): l is EscalationLevel => l !== 'COUNTY'));
export const CommitmentStatusEnum = asEnum(COMMITMENT_STATUSES);
export const CommitmentSourceKindEnum = asEnum(COMMITMENT_SOURCE_KINDS);

registerEnumType(ResolutionStatusEnum, {
  name: 'ResolutionStatus',
  description: 'Where a resolution (مصوبه) stands after its meeting.',
  valuesConfig: {
    RECORDED: { description: 'Recorded in the minutes, not communicated yet (ثبت‌شده).' },
    COMMUNICATED: { description: 'Communicated to the agencies (ابلاغ‌شده); the lead agency may object within the window.' },
    OBJECTED: { description: 'The lead agency objected (اعتراض); awaiting the workgroup’s decision.' },
    IN_PROGRESS: { description: 'The lead agency reported progress (در دست اقدام).' },
    IMPLEMENTED: { description: 'Implemented (اجرا شد). Settled.' },
    NOT_IMPLEMENTED: { description: 'Not implemented (اجرا نشد). Settled.' },
    NO_ACTION: { description: 'No action was taken (بلااقدام). Settled.' },
    WITHDRAWN: { description: 'Withdrawn after the objection was accepted (لغو با پذیرش اعتراض). Settled.' },
  },
});
registerEnumType(ResolutionOutcomeEnum, {
  name: 'ResolutionOutcome',
  description: 'How a resolution ended, as the lead agency or the workgroup recorded it.',
  valuesConfig: {
    IMPLEMENTED: { description: 'Implemented (اجرا شد).' },
    NOT_IMPLEMENTED: { description: 'Not implemented (اجرا نشد).' },
    NO_ACTION: { description: 'No action was taken (بلااقدام).' },
  },
});
registerEnumType(ObstacleLevelEnum, {
  name: 'ObstacleLevel',
  description: 'The level of the body handling a case; a case only moves up, one level at a time.',
  valuesConfig: {
    COUNTY: { description: 'The county workgroup (کارگروه شهرستان) that raised it.' },
    PROVINCE: { description: 'The provincial workgroup (کارگروه استان).' },
    NATIONAL: { description: 'The national headquarters (ستاد ملی تسهیل).' },
  },
});
registerEnumType(EscalationLevelEnum, {
  name: 'EscalationLevel',
  description: 'A level a case can be escalated (ارجاع به سطح بالاتر) to.',
  valuesConfig: {
    PROVINCE: { description: 'From the county workgroup to the provincial workgroup (کارگروه استان).' },
    NATIONAL: { description: 'From the provincial workgroup to the national headquarters (ستاد ملی).' },
  },
});
registerEnumType(CommitmentStatusEnum, {
  name: 'CommitmentStatus',
  description: 'Whether a commitment (قول / تعهد) was kept.',
  valuesConfig: {
    OPEN: { description: 'Not yet kept or broken (باز).' },
    KEPT: { description: 'Kept (عمل شد).' },
    BROKEN: { description: 'Broken (عمل نشد).' },
  },
});
registerEnumType(CommitmentSourceKindEnum, {
  name: 'CommitmentSourceKind',
  description: 'Where a commitment was made.',
  valuesConfig: {
    MEETING: { description: 'In a workgroup meeting (جلسه).' },
    VISIT: { description: 'On a field visit (بازدید).' },
  },
});
