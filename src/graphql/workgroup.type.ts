import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { WorkgroupLevel } from '../domain/workgroup';
import { Connection } from './connection';
import { Node } from './node';
import { WorkgroupLevelEnum } from './enums';

@ObjectType({
  implements: Node,
  description:
    'A facilitation body (کارگروه / ستاد): a county workgroup (کارگروه ستاد تسهیل شهرستان), a provincial workgroup, ' +
    'or the national headquarters (ستاد تسهیل و رفع موانع تولید). It numbers its own sessions.',
})
export class Workgroup {
  @Field(() => ID, { description: 'Id issued by this API.' })
  id!: string;

  @Field(() => WorkgroupLevelEnum, { description: 'County, province or national (سطح).' })
  level!: WorkgroupLevel;

  @Field({ description: 'Name, as given (e.g. «کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت»).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Province (استان); null for the national headquarters.' })
  province!: string | null;

  @Field(() => String, { nullable: true, description: 'County (شهرستان); set for a county workgroup only.' })
  county!: string | null;

  @Field(() => Date, { description: 'When it was registered.' })
  registeredAt!: Date;

  @Field(() => Int, { description: 'Meetings (جلسات) scheduled for this body, each with its own session number.' })
  meetingCount!: number;

  @Field(() => Int, { nullable: true, description: 'Number of its latest session (شماره جلسه); null before the first.' })
  lastSequenceNumber!: number | null;

  @Field({ description: "Revision of the workgroup's stream." })
  revision!: string;
}

export const WorkgroupConnection = Connection(Workgroup, 'Workgroup');
