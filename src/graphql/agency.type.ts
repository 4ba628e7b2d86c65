import { Field, ID, ObjectType } from 'type-graphql';
import type { AgencyKind, AgencyStatus } from '../domain/agency';
import { Connection } from './connection';
import { Node } from './node';
import { AgencyKindEnum, AgencyStatusEnum } from './enums';

@ObjectType({
  implements: Node,
  description:
    'An agency (دستگاه اجرایی): a government office, company or bank that resolutions name as lead or cooperating agency. ' +
    'Deactivated, never deleted, so old resolutions still name an agency that existed.',
})
export class Agency {
  @Field(() => ID, { description: 'Id issued by this API.' })
  id!: string;

  @Field({ description: 'Current name, as given (e.g. «اداره صنعت، معدن و تجارت پاکدشت»).' })
  name!: string;

  @Field(() => AgencyKindEnum, { description: 'What kind of agency it is (نوع دستگاه).' })
  kind!: AgencyKind;

  @Field({ description: 'Province (استان).' })
  province!: string;

  @Field(() => String, { nullable: true, description: 'County (شهرستان); null for a provincial office.' })
  county!: string | null;

  @Field(() => AgencyStatusEnum, { description: 'In service, or deactivated.' })
  status!: AgencyStatus;

  @Field(() => Date, { description: 'When it was registered.' })
  registeredAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was deactivated (merged or dissolved).' })
  deactivatedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was deactivated.' })
  deactivationReason!: string | null;

  @Field({ description: "Revision of the agency's stream; pass it as `expectedRevision` to guard against concurrent edits." })
  revision!: string;
}

export const AgencyConnection = Connection(Agency, 'Agency');
