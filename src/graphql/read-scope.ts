/**
 * The read scope of one request (src/auth/scope.ts), from the caller's token
 * and, for an AGENCY user, the registry's record of its agency and the cases
 * referred to it, read from the read models when the request starts.
 */
import type { Principal } from '../auth/principal';
import { readScopeOf, servedScope, visibleRows, type ReadScope } from '../auth/scope';
import type { ProjectionRuntime } from '../projection/runtime';
import { prepared } from './read-models';

export const requestScope = (principal: Principal | null, runtime: ProjectionRuntime): ReadScope =>
  readScopeOf(
    principal,
    (agencyId) => {
      const row = prepared(runtime.reader('agencies'), `SELECT province, county FROM agencies WHERE agency_id = ? AND status = 'ACTIVE'`).get(agencyId) as
        | { province: string; county: string | null }
        | undefined;
      return row ? { province: row.province, county: row.county } : null;
    },
    (agencyId, place) => {
      // Its cases: those referred to it, and those a resolution binding it is about (its users settle
      // that resolution, which may close the case), lying in the place it serves. A case re-referred
      // elsewhere leaves its view.
      const served = visibleRows(servedScope(place), 'obstacle')!;
      const bound = (
        prepared(runtime.reader('resolutions'), `SELECT DISTINCT obstacle_id FROM resolutions WHERE lead_agency_id = ? AND obstacle_id IS NOT NULL`).all(agencyId) as {
          obstacle_id: string;
        }[]
      ).map((r) => r.obstacle_id);
      const rows = prepared(
        runtime.reader('obstacles'),
        `SELECT obstacle_id, unit_id FROM obstacles WHERE (lead_agency_id = ? OR obstacle_id IN (SELECT value FROM json_each(?))) AND ${served.sql}`,
      ).all(agencyId, JSON.stringify(bound), ...served.params) as { obstacle_id: string; unit_id: string | null }[];
      const obstacleIds = rows.map((r) => r.obstacle_id);
      const resolutionIds = (
        prepared(runtime.reader('resolutions'), `SELECT resolution_id FROM resolutions WHERE lead_agency_id = ? OR obstacle_id IN (SELECT value FROM json_each(?))`).all(
          agencyId,
          JSON.stringify(obstacleIds),
        ) as { resolution_id: string }[]
      ).map((r) => r.resolution_id);
      return {
        obstacleIds,
        unitIds: [...new Set(rows.map((r) => r.unit_id).filter((u): u is string => u !== null))],
        resolutionIds,
      };
    },
  );
