/**
 * What the generated types refuse at compile time: each line below must be a
 * type error (`tsc -p docs/client` fails on a `@ts-expect-error` that no
 * longer has one), so the client cannot drift from the schema unnoticed.
 */
import type { Execute } from './client';
import { ObstacleWithResolutionsDocument, RaiseObstacleDocument, UnitsPageDocument } from './generated/graphql';

export const refusedAtCompileTime = async (execute: Execute): Promise<void> => {
  // @ts-expect-error: an activity status the schema does not have
  await execute(UnitsPageDocument, { activityStatus: 'SLEEPING' });
  // @ts-expect-error: raising an obstacle needs its input
  await execute(RaiseObstacleDocument);
  // @ts-expect-error: a category the schema does not have
  await execute(RaiseObstacleDocument, { input: { unitId: 'u', title: 't', category: 'WEATHER' } });
  // @ts-expect-error: the id is required
  await execute(ObstacleWithResolutionsDocument, {});
  const { obstacle } = await execute(ObstacleWithResolutionsDocument, { id: 'o' });
  // @ts-expect-error: the case may not exist (null), so it must be checked first
  void obstacle.title;
  // @ts-expect-error: a field the operation did not select
  void obstacle?.unit?.county;
  // Variables are optional when the operation needs none.
  await execute(UnitsPageDocument);
};
