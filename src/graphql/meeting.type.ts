import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { AgendaItemKind, MeetingStatus } from '../domain/meeting';
import { Connection } from './connection';
import { Node } from './node';
import { AgendaItemKindEnum, MeetingStatusEnum } from './enums';

@ObjectType({ description: 'A unit or obstacle put on a meeting’s agenda (دستور جلسه).' })
export class AgendaItem {
  @Field(() => AgendaItemKindEnum, { description: 'A unit reviewed as a whole, or one of its obstacles.' })
  kind!: AgendaItemKind;

  @Field(() => ID, { description: 'Id of the unit or obstacle on the agenda.' })
  subjectId!: string;

  @Field(() => ID, { description: 'The unit concerned (the subject itself, or the unit of an obstacle).' })
  unitId!: string;

  @Field(() => String, { nullable: true, description: 'Why it is on the agenda, if a note was given.' })
  note!: string | null;
}

@ObjectType({ description: 'What a meeting’s agenda (دستور جلسه) holds: a unit, a unit’s obstacle, or a whole zone’s obstacle (telecom, paving, utilities).' })
export class AgendaEntry {
  @Field(() => AgendaItemKindEnum, { description: 'A unit reviewed as a whole, or an obstacle.' })
  kind!: AgendaItemKind;

  @Field(() => ID, { description: 'Id of the unit or obstacle on the agenda.' })
  subjectId!: string;

  @Field(() => ID, { nullable: true, description: 'The unit concerned (the subject itself, or the unit of an obstacle); null for a zone’s obstacle.' })
  unitId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The zone of a zone’s obstacle; null otherwise.' })
  zoneId!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it is on the agenda, if a note was given.' })
  note!: string | null;
}

@ObjectType({ description: 'Someone who attended a held meeting (حاضران).' })
export class Attendee {
  @Field({ description: 'Name, as recorded.' })
  name!: string;

  @Field({ description: 'Agency the attendee represented.' })
  agency!: string;

  @Field(() => String, { nullable: true, description: 'Their role in the meeting (e.g. رئیس جلسه), if recorded.' })
  role!: string | null;
}

@ObjectType({ implements: Node, description: 'A resolution (مصوبه) recorded in a held meeting: "it was resolved that…" (مقرر شد).' })
export class Resolution {
  @Field(() => ID, { description: 'Globally unique id (Relay `Node`): fetch it again with `resolution(id:)` or `node(id:)`.' })
  id!: string;

  @Field(() => ID, { description: 'The meeting (جلسه) that recorded it.' })
  meetingId!: string;

  @Field({ description: 'What was resolved, as written (مقرر شد …).' })
  text!: string;

  @Field({ description: 'The lead agency (دستگاه مسئول), as named.' })
  leadAgency!: string;

  @Field(() => ID, { nullable: true, description: 'The lead agency in the registry, when named by id.' })
  leadAgencyId!: string | null;

  @Field(() => [String], { description: 'Agencies asked to cooperate (دستگاه‌های همکار).' })
  cooperatingAgencies!: string[];

  @Field(() => Date, { description: 'Deadline (مهلت اجرا).' })
  deadline!: Date;

  @Field(() => ID, { nullable: true, description: 'The obstacle (پرونده) it is about, if any.' })
  obstacleId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The production unit it concerns, if any.' })
  unitId!: string | null;

  @Field(() => Date, { description: 'When it was recorded.' })
  recordedAt!: Date;
}

@ObjectType({ implements: Node, description: 'A meeting (جلسه) of a county workgroup.' })
export class Meeting {
  @Field(() => ID, { description: 'Globally unique id (Relay `Node`): fetch it again with `meeting(id:)` or `node(id:)`.' })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The workgroup (کارگروه) meeting.' })
  workgroupId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Its sequence number within the workgroup, assigned by the system.' })
  sequenceNumber!: number | null;

  @Field({ description: 'Province (استان).' })
  province!: string;

  @Field({ description: 'County (شهرستان) of the workgroup.' })
  county!: string;

  @Field({ description: 'Title, as given (e.g. «جلسه کارگروه ستاد تسهیل شهرستان پاکدشت»).' })
  title!: string;

  @Field(() => Date, { description: 'When it is (or, once postponed, now is) scheduled.' })
  scheduledAt!: Date;

  @Field({ description: 'Venue, often a unit’s own premises.' })
  venue!: string;

  @Field({ description: 'Who chairs it (رئیس جلسه).' })
  chair!: string;

  @Field(() => MeetingStatusEnum, { description: 'Scheduled, postponed, held or cancelled.' })
  status!: MeetingStatus;

  @Field(() => Date, { nullable: true, description: 'When it was recorded as held; null before.' })
  heldAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Minutes (صورتجلسه).' })
  minutes!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was last postponed, if it was.' })
  postponementReason!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled, once it was.' })
  cancellationReason!: string | null;

  @Field({ description: "Revision of the meeting's stream, for `expectedRevision`." })
  revision!: string;
}

export const MeetingConnection = Connection(Meeting, 'Meeting');
