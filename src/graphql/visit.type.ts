import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection';
import { Node } from './node';

@ObjectType({ description: 'An official who took part in a field visit (بازدیدکننده).' })
export class Visitor {
  @Field({ description: 'Name, as given, e.g. «حشمت الله عسگری».' })
  name!: string;

  @Field({ description: 'The agency or office they represented (دستگاه).' })
  agency!: string;

  @Field(() => String, { nullable: true, description: 'Their position, e.g. «معاون اقتصادی استاندار تهران».' })
  role!: string | null;
}

@ObjectType({ description: 'A production unit named by a visit or a commitment, with its name as registered.' })
export class NamedUnit {
  @Field(() => ID, { description: 'Id of the production unit.' })
  unitId!: string;

  @Field(() => String, { nullable: true, description: 'The unit’s registered name (نام واحد).' })
  unitName!: string | null;
}

@ObjectType({ description: 'What the visitors found (یافته‌های بازدید), written once and never edited.' })
export class VisitFinding {
  @Field({ description: 'The findings, as written.' })
  findings!: string;

  @Field(() => Date, { description: 'When the findings were recorded.' })
  recordedAt!: Date;
}

@ObjectType({ implements: Node, description: 'A field visit (بازدید): officials visit production units or a zone and write down what they find.' })
export class Visit {
  @Field(() => ID, { description: 'Globally unique id (Relay `Node`): fetch it again with `visit(id:)` or `node(id:)`.' })
  id!: string;

  @Field(() => Date, { description: 'When the visit took place.' })
  visitedAt!: Date;

  @Field({ description: 'Province (استان).' })
  province!: string;

  @Field({ description: 'County (شهرستان).' })
  county!: string;

  @Field(() => ID, { nullable: true, description: 'The zone visited (شهرک یا لکه صنعتی), if the visit was to a whole zone.' })
  zoneId!: string | null;

  @Field({ description: 'Why they went (هدف بازدید).' })
  purpose!: string;

  @Field(() => Int, { description: 'How many findings were recorded.' })
  findingsCount!: number;

  @Field({ description: "Revision of the visit's stream, for `expectedRevision`." })
  revision!: string;
}

export const VisitConnection = Connection(Visit, 'Visit');
