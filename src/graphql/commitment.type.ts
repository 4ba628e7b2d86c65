import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Commitment as CommitmentState, CommitmentSource as Source, CommitmentStatus } from '../domain/commitment';
import { Connection } from './connection';
import { Node } from './node';
import { CommitmentSourceKindEnum, CommitmentStatusEnum } from './follow-up.enums';

@ObjectType({ description: 'The meeting or field visit where a commitment was made.' })
export class CommitmentSource {
  @Field(() => CommitmentSourceKindEnum, { description: 'A meeting (جلسه) or a field visit (بازدید).' })
  kind!: Source['kind'];

  @Field(() => ID, { description: 'Id of the meeting or visit.' })
  id!: string;
}

@ObjectType({ description: 'One extension of a commitment’s due date (تمدید مهلت).' })
export class CommitmentExtension {
  @Field(() => Date, { description: 'The due date before this extension.' })
  from!: Date;

  @Field(() => Date, { description: 'The due date after it.' })
  to!: Date;

  @Field({ description: 'Why it was extended.' })
  reason!: string;

  @Field(() => Date, { description: 'When the extension was recorded.' })
  extendedAt!: Date;
}

@ObjectType({
  implements: Node,
  description: 'A commitment (قول / تعهد): a promise an official or agency made in a meeting or on a visit, with a due date, later kept or broken.',
})
export class Commitment {
  @Field(() => ID, { description: 'Globally unique id (Relay `Node`): fetch it again with `commitment(id:)` or `node(id:)`.' })
  id!: string;

  @Field({ description: 'Who promised, e.g. «حشمت الله عسگری، معاون اقتصادی استاندار تهران».' })
  madeBy!: string;

  @Field(() => String, { nullable: true, description: 'The agency bound by the promise (دستگاه متعهد), when one is.' })
  agency!: string | null;

  @Field({ description: 'To whom, in words, e.g. «تولیدکنندگان کفش اسلامشهر».' })
  madeTo!: string;

  @Field({ description: 'What was promised, e.g. «احداث شهر کفش».' })
  description!: string;

  @Field(() => Date, { description: 'The date now owed, after any extensions (مهلت).' })
  dueDate!: Date;

  @Field(() => Date, { description: 'The date first promised: an extension never changes it.' })
  originalDueDate!: Date;

  @Field(() => Int, { description: 'How many times the due date was extended.' })
  timesExtended!: number;

  @Field(() => CommitmentSource, { description: 'The meeting or field visit where it was made.' })
  source!: CommitmentSource;

  @Field({ description: 'Province (استان).' })
  province!: string;

  @Field({ description: 'County (شهرستان), where the meeting or visit took place.' })
  county!: string;

  @Field(() => ID, { nullable: true, description: 'The zone the promise concerns, if any (e.g. a shoe park).' })
  zoneId!: string | null;

  @Field(() => CommitmentStatusEnum, { description: 'Open, kept or broken.' })
  status!: CommitmentStatus;

  @Field(() => Date, { description: 'When the promise was recorded.' })
  madeAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was recorded as kept or broken.' })
  settledAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The evidence given when it was recorded as kept or broken (مستندات).' })
  evidence!: string | null;

  @Field({ description: "Revision of the commitment's stream, for `expectedRevision`." })
  revision!: string;

  /** The aggregate's state, rebuilt from the row, for the domain's clock-derived rules. */
  state!: CommitmentState;
}

export const CommitmentConnection = Connection(Commitment, 'Commitment');
