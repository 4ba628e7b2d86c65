/** Resolvers of the follow-up: resolutions' course, escalation, field visits, commitments. */
import { CommitmentResolver } from './commitment.resolver';
import { Commitment, CommitmentExtension } from './commitment.type';
import { EscalationResolver } from './escalation.resolver';
import { ObstacleLevelPeriod } from './escalation.type';
import { jalaliResolver } from './jalali';
import { ResolutionFollowUpResolver } from './resolution-follow-up.resolver';
import { ResolutionObjection } from './resolution-follow-up.type';
import { VisitResolver } from './visit.resolver';
import { Visit, VisitFinding } from './visit.type';

export const FOLLOW_UP_RESOLVERS: Function[] = [
  ResolutionFollowUpResolver,
  EscalationResolver,
  VisitResolver,
  CommitmentResolver,
  // `…Jalali` twins of the date fields the follow-up's own types carry.
  jalaliResolver(ResolutionObjection, ['objectedAt', 'decidedAt']),
  jalaliResolver(ObstacleLevelPeriod, ['since']),
  jalaliResolver(Visit, ['visitedAt']),
  jalaliResolver(VisitFinding, ['recordedAt']),
  jalaliResolver(Commitment, ['dueDate', 'originalDueDate', 'madeAt', 'settledAt']),
  jalaliResolver(CommitmentExtension, ['from', 'to', 'extendedAt']),
];
