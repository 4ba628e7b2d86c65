import { Field, ObjectType } from 'type-graphql';
import type { Resolution as ResolutionState, ResolutionOutcome, ResolutionStatus } from '../domain/resolution';
import { Connection } from './connection';
import { Resolution } from './meeting.type';

@ObjectType({ description: 'The objection (اعتراض) the lead agency made to a communicated resolution, and the workgroup’s decision on it.' })
export class ResolutionObjection {
  @Field({ description: 'The agency that objected: always the lead agency (دستگاه مسئول).' })
  agency!: string;

  @Field({ description: 'Why, in the agency’s words.' })
  reason!: string;

  @Field(() => Date, { description: 'When the agency objected.' })
  objectedAt!: Date;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Null while the workgroup has not decided; true: accepted, the resolution is withdrawn; false: rejected, it stands.',
  })
  accepted!: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When the workgroup decided on it; null until then.' })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The workgroup’s note on its decision.' })
  note!: string | null;
}

/** A resolution's course after its meeting, as the `resolutions` projection holds it. */
export interface ResolutionCourse {
  status: ResolutionStatus;
  province: string;
  county: string;
  communicatedAt: Date | null;
  objectionWindowDays: number | null;
  objectionDeadline: Date | null;
  objection: ResolutionObjection | null;
  progressReports: number;
  lastProgressNote: string | null;
  lastProgressAt: Date | null;
  outcome: ResolutionOutcome | null;
  outcomeNote: string | null;
  settledAt: Date | null;
  revision: string;
  /** The aggregate's state, rebuilt from the row, for the domain's clock-derived rules (`isOverdue`, `implementedOnTime`). */
  state: ResolutionState;
}

/** A `Resolution` as the follow-up queries return it: its course comes along, so no field looks it up again. */
export type ResolutionWithCourse = Resolution & { course: ResolutionCourse };

export const ResolutionConnection = Connection(Resolution, 'Resolution');
