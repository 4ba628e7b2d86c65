import { AuditEvent } from './audit.type';
import { jalaliResolver } from './jalali';
import { Meeting, Resolution } from './meeting.type';
import { Obstacle } from './obstacle.type';
import { TimelineEntry, Unit } from './unit.type';

/** `…Jalali` twins of the core types' date fields. */
export const JALALI_RESOLVERS: Function[] = [
  jalaliResolver(Unit, ['registeredAt', 'statusChangedAt']),
  jalaliResolver(Obstacle, ['raisedAt', 'referredAt', 'deadline', 'lastProgressAt', 'resolvedAt']),
  jalaliResolver(Meeting, ['scheduledAt', 'heldAt']),
  jalaliResolver(Resolution, ['deadline', 'recordedAt']),
  jalaliResolver(AuditEvent, ['recordedAt', 'occurredAt']),
  jalaliResolver(TimelineEntry, ['occurredAt']),
];
