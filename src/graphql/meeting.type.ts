import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { AgendaItemKind, MeetingStatus } from '../domain/meeting';
import { Connection } from './connection';
import { Node } from './node';
import { AgendaItemKindEnum, MeetingStatusEnum } from './enums';

@ObjectType({ description: 'A unit or obstacle put on a meeting’s agenda (دستور جلسه).' })
export class AgendaItem {
  @Field(() => AgendaItemKindEnum)
  kind!: AgendaItemKind;

  @Field(() => ID)
  subjectId!: string;

  @Field(() => ID, { description: 'The unit concerned (the subject itself, or the unit of an obstacle).' })
  unitId!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({ description: 'Someone who attended a held meeting (حاضران).' })
export class Attendee {
  @Field()
  name!: string;

  @Field({ description: 'Agency the attendee represented.' })
  agency!: string;

  @Field(() => String, { nullable: true })
  role!: string | null;
}

@ObjectType({ implements: Node, description: 'A resolution (مصوبه) recorded in a held meeting: "it was resolved that…" (مقرر شد).' })
export class Resolution {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  meetingId!: string;

  @Field()
  text!: string;

  @Field()
  leadAgency!: string;

  @Field(() => ID, { nullable: true, description: 'The lead agency in the registry, when named by id.' })
  leadAgencyId!: string | null;

  @Field(() => [String])
  cooperatingAgencies!: string[];

  @Field(() => Date)
  deadline!: Date;

  @Field(() => ID, { nullable: true })
  obstacleId!: string | null;

  @Field(() => ID, { nullable: true })
  unitId!: string | null;

  @Field(() => Date)
  recordedAt!: Date;
}

@ObjectType({ implements: Node, description: 'A meeting (جلسه) of a county workgroup.' })
export class Meeting {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The workgroup (کارگروه) meeting.' })
  workgroupId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Its sequence number within the workgroup, assigned by the system.' })
  sequenceNumber!: number | null;

  @Field()
  province!: string;

  @Field()
  county!: string;

  @Field()
  title!: string;

  @Field(() => Date, { description: 'When it is (or, once postponed, now is) scheduled.' })
  scheduledAt!: Date;

  @Field({ description: 'Venue, often a unit’s own premises.' })
  venue!: string;

  @Field({ description: 'Who chairs it (رئیس جلسه).' })
  chair!: string;

  @Field(() => MeetingStatusEnum)
  status!: MeetingStatus;

  @Field(() => Date, { nullable: true })
  heldAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Minutes (صورتجلسه).' })
  minutes!: string | null;

  @Field(() => String, { nullable: true })
  postponementReason!: string | null;

  @Field(() => String, { nullable: true })
  cancellationReason!: string | null;

  @Field({ description: "Revision of the meeting's stream, for `expectedRevision`." })
  revision!: string;
}

export const MeetingConnection = Connection(Meeting, 'Meeting');
