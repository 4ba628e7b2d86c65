/**
 * Relay's `Node`: anything with a globally unique id that `node(id:)` can
 * fetch again. Ids are the UUIDs the API has always issued (unique across
 * every kind of thing), so no existing id changes; the kind is found by
 * looking the id up in each entity's read model.
 */
import { Field, ID, InterfaceType } from 'type-graphql';

/** Which object type a value fetched by `node` / `nodes` is: they tag what they return, nothing else needs to. */
const nodeTypes = new WeakMap<object, string>();

export const asNode = <T extends object>(value: T, typeName: string): T => {
  nodeTypes.set(value, typeName);
  return value;
};

@InterfaceType('Node', {
  description:
    'Something with a globally unique, stable `id` that `node(id:)` fetches again (Relay\'s object identification): units, obstacles, meetings, resolutions, agencies, workgroups, zones, visits and commitments.',
  resolveType: (value: object) => nodeTypes.get(value),
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique id, issued by this API (a UUID); the same id never names two things.' })
  id!: string;
}
