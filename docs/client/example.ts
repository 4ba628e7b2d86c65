/**
 * What a screen of a web client does with the typed client: list a county's
 * units page by page, raise an obstacle for one (safe to retry), and show the
 * case with its resolutions. `test/api/client-codegen.int.test.ts` runs these
 * against a real server.
 */
import { createClient, TashilError, type Execute } from './client';
import {
  ObstacleWithResolutionsDocument,
  RaiseObstacleDocument,
  UnitsPageDocument,
  type ObstacleWithResolutionsQuery,
  type UnitsPageQuery,
} from './generated/graphql';

type Unit = UnitsPageQuery['units']['edges'][number]['node'];

/** Every unit of a county, following the cursors (at most 100 a page). */
export const allUnitsOf = async (execute: Execute, county: string): Promise<Unit[]> => {
  const units: Unit[] = [];
  let after: string | null = null;
  do {
    const page: UnitsPageQuery = await execute(UnitsPageDocument, { county, first: 100, after });
    units.push(...page.units.edges.map((edge) => edge.node));
    after = page.units.pageInfo.hasNextPage ? page.units.pageInfo.endCursor : null;
  } while (after !== null);
  return units;
};

/**
 * Raises a banking obstacle for a unit. The idempotency key makes a retry
 * after a timeout return the first result instead of a second case.
 */
export const raiseBankingObstacle = async (execute: Execute, unitId: string, title: string, idempotencyKey: string) => {
  const { raiseObstacle } = await execute(RaiseObstacleDocument, {
    input: { unitId, title, category: 'BANKING', priority: 'URGENT', idempotencyKey },
  });
  return raiseObstacle;
};

/** The case and its resolutions, or null when there is no such case. */
export const caseWithResolutions = async (execute: Execute, id: string): Promise<ObstacleWithResolutionsQuery['obstacle']> =>
  (await execute(ObstacleWithResolutionsDocument, { id })).obstacle;

/** The message a user sees for an error, by its code (docs/errors.md says what each means). */
export const explain = (error: unknown): string => {
  if (!(error instanceof TashilError)) return 'the server could not be reached; try again';
  switch (error.code) {
    case 'BAD_USER_INPUT':
      return `please correct: ${((error.extensions.fields as { field: string }[] | undefined) ?? []).map((f) => f.field).join(', ')}`;
    case 'UNAUTHENTICATED':
      return 'please sign in again';
    case 'FORBIDDEN':
      return 'you may not do this';
    case 'NOT_FOUND':
      return 'it no longer exists';
    case 'CONFLICT':
      return 'someone changed it meanwhile: reload and try again';
    case 'RATE_LIMITED':
      return `too many requests: wait ${String(error.extensions.retryAfterSeconds)} s`;
    default:
      return `something went wrong (report request ${error.requestId ?? 'unknown'})`;
  }
};

/** Wiring it up in a browser or in Node 18+: an endpoint and where the token comes from. */
export const exampleClient = (url: string, token: string): Execute => createClient({ url, token: () => token });
