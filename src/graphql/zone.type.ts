import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ConversionStage, ZoneKind } from '../domain/zone';
import { Connection } from './connection';
import { Node } from './node';
import { ConversionStageEnum, ZoneKindEnum } from './enums';

@ObjectType({
  implements: Node,
  description:
    'A zone: an industrial park (شهرک صنعتی, e.g. «شهرک صنعتی خوارزمی»), a specialised park (شهرک تخصصی), or an unplanned ' +
    'industrial cluster (لکه صنعتی) on its way to becoming a non-governmental park. Some obstacles belong to a zone, not to one unit.',
})
export class Zone {
  @Field(() => ID, { description: 'Id issued by this API.' })
  id!: string;

  @Field({ description: 'Name, as given.' })
  name!: string;

  @Field(() => ZoneKindEnum, { description: 'What it is now: a converted cluster is an INDUSTRIAL_PARK.' })
  kind!: ZoneKind;

  @Field({ description: 'Province (استان).' })
  province!: string;

  @Field({ description: 'County (شهرستان).' })
  county!: string;

  @Field(() => ConversionStageEnum, {
    nullable: true,
    description: "A cluster's conversion stage (مرحله تبدیل); null for a zone registered as a park, CONVERTED once a cluster became one.",
  })
  conversionStage!: ConversionStage | null;

  @Field({ description: 'True for a converted cluster: a park run by its own owners (شهرک صنعتی غیردولتی), not by the industrial-parks company.' })
  nonGovernmental!: boolean;

  @Field(() => Int, { description: 'Production units (واحدهای تولیدی) standing in this zone.' })
  unitCount!: number;

  @Field(() => Date, { description: 'When it was registered.' })
  registeredAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a cluster became a park.' })
  convertedAt!: Date | null;

  @Field({ description: "Revision of the zone's stream; pass it as `expectedRevision` to guard against concurrent edits." })
  revision!: string;
}

export const ZoneConnection = Connection(Zone, 'Zone');

@ObjectType({ description: "One step of a cluster's conversion into a park (مرحله تبدیل لکه صنعتی)." })
export class ConversionStep {
  @Field(() => ConversionStageEnum, { description: 'The stage it was at.' })
  from!: ConversionStage;

  @Field(() => ConversionStageEnum, { description: 'The stage it reached.' })
  to!: ConversionStage;

  @Field({ description: 'What was done or decided, in the actor’s words.' })
  note!: string;

  @Field(() => Date, { description: 'When the step was recorded.' })
  advancedAt!: Date;

  @Field({ description: 'Who recorded the step.' })
  actor!: string;

  @Field(() => [ConversionStageEnum], { description: 'The stages passed over on the way, in order; empty when `to` follows `from`.' })
  skipped!: ConversionStage[];

  @Field(() => String, { nullable: true, description: 'Why they were passed over, for a skip.' })
  skipReason!: string | null;
}
