/**
 * What a caller may read: one table from role to scope, and one rule per kind
 * of row. Every read-model statement ANDs `visibleRows` into its WHERE clause
 * (src/graphql/read-scope.ts builds the scope for a request; the read models
 * take it in their constructor), so a list, its `totalCount` and its cursors
 * see the same rows, and an item outside the scope reads as absent: `null`,
 * never FORBIDDEN, so that asking does not tell whether it exists. Live
 * updates and the audit queries ask `admits`, the same rule over a thing
 * already in hand.
 */
import type { Place, Principal, Role } from './principal';

/**
 * - `NATION`: everything.
 * - `PLACE`: what lies in a province, or in some of its counties; of the
 *   registries (agencies, workgroups, zones), also the bodies that serve it
 *   from above (provincial, national).
 * - `AGENCY`: the cases referred to the agency (by registry id), and those a
 *   resolution binding it is about, within the place it serves; their units
 *   and their resolutions, and the resolutions that bind it; of the
 *   registries, those of the place it serves.
 * - `NOTHING`: no read-model row (an operator runs projections, not cases).
 */
export type ReadScope =
  | { kind: 'NATION' }
  | { kind: 'PLACE'; province: string; counties: readonly string[] }
  | { kind: 'AGENCY'; agencyId: string; place: Place | null; cases: AgencyCases }
  | { kind: 'NOTHING' };

/** The cases an agency's users see, as the obstacles and resolutions read models say when the request starts. */
export interface AgencyCases {
  obstacleIds: readonly string[];
  unitIds: readonly string[];
  /** The resolutions its users see: those binding the agency, and those on its cases. */
  resolutionIds: readonly string[];
}

/** The one table of who reads what. A national claim (`national: true`) turns PLACE into NATION. */
export const READ_SCOPE_OF_ROLE: Record<Role, 'NATION' | 'PLACE' | 'AGENCY' | 'NOTHING'> = {
  ADMIN: 'NATION',
  SECRETARIAT: 'PLACE',
  CHAIR: 'PLACE',
  AUDITOR: 'PLACE',
  ANALYST: 'PLACE',
  VIEWER: 'PLACE',
  AGENCY: 'AGENCY',
  OPERATOR: 'NOTHING',
};

/** Roles that read some read-model rows: every query over cases is theirs (`@Authorized`). */
export const READING_ROLES: Role[] = (Object.keys(READ_SCOPE_OF_ROLE) as Role[]).filter((r) => READ_SCOPE_OF_ROLE[r] !== 'NOTHING');

export const NATION: ReadScope = { kind: 'NATION' };
export const NOTHING: ReadScope = { kind: 'NOTHING' };

/** Where the agency of an AGENCY user stands, and its cases; null when it is not registered or not active. */
export type AgencyLookup = (agencyId: string, place: Place) => AgencyCases;

/**
 * The widest scope the principal's roles give: a user who is both VIEWER of a
 * province and AGENCY sees the province. `agencyPlace` is the registry's place
 * of the AGENCY user's agency (null: unknown or deactivated, which sees nothing).
 */
export const readScopeOf = (principal: Principal | null, agencyPlace: (agencyId: string) => Place | null, cases: AgencyLookup): ReadScope => {
  if (principal === null) return NOTHING;
  const kinds = new Set(principal.roles.map((r) => READ_SCOPE_OF_ROLE[r]));
  if (kinds.has('NATION')) return NATION;
  if (kinds.has('PLACE')) {
    // A token reaches province null only by saying `national: true` (src/auth/tokens.ts).
    if (principal.province === null) return NATION;
    return { kind: 'PLACE', province: principal.province, counties: principal.counties };
  }
  if (kinds.has('AGENCY') && principal.agencyId !== null) {
    const place = agencyPlace(principal.agencyId);
    return { kind: 'AGENCY', agencyId: principal.agencyId, place, cases: place === null ? { obstacleIds: [], unitIds: [], resolutionIds: [] } : cases(principal.agencyId, place) };
  }
  return NOTHING;
};

/** National figures (analytics over the whole country, the whole store's integrity) are for NATION only. */
export const seesNation = (scope: ReadScope): boolean => scope.kind === 'NATION';

/**
 * The kinds of rows, by how they are placed:
 * - case files (units, obstacles, meetings, resolutions, visits, commitments)
 *   lie in one province and county;
 * - registries (agencies, workgroups, zones) serve a place, provincial and
 *   national bodies with county or province null.
 */
export type RowKind = 'unit' | 'obstacle' | 'meeting' | 'resolution' | 'visit' | 'commitment' | 'agency' | 'workgroup' | 'zone';

const REGISTRIES = new Set<RowKind>(['agency', 'workgroup', 'zone']);

/** Which columns of a table hold a row's place and its links; defaults are the read models' own names. */
export interface RowColumns {
  province?: string;
  county?: string;
  /** The row's own id (a unit's `unit_id`, an obstacle's `obstacle_id`). */
  id?: string;
  leadAgencyId?: string;
  /** A resolution's case. */
  obstacleId?: string;
}

/** A condition over a row and its parameters, ANDed into a statement's WHERE clause. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

const ID_COLUMN: Record<RowKind, string> = {
  unit: 'unit_id',
  obstacle: 'obstacle_id',
  meeting: 'meeting_id',
  resolution: 'resolution_id',
  visit: 'visit_id',
  commitment: 'commitment_id',
  agency: 'agency_id',
  workgroup: 'workgroup_id',
  zone: 'zone_id',
};

const NONE: SqlCondition = { sql: '0', params: [] };
const inList = (column: string, values: readonly string[]): SqlCondition =>
  values.length === 1 ? { sql: `${column} = ?`, params: [values[0]] } : { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] };
const and = (...conditions: SqlCondition[]): SqlCondition => ({ sql: conditions.map((c) => `(${c.sql})`).join(' AND '), params: conditions.flatMap((c) => c.params) });
const or = (...conditions: SqlCondition[]): SqlCondition => ({ sql: conditions.map((c) => `(${c.sql})`).join(' OR '), params: conditions.flatMap((c) => c.params) });

/** Rows lying in a place: its province, and one of its counties when it names counties. */
const inPlace = (province: string, counties: readonly string[], c: { province: string; county: string }): SqlCondition =>
  counties.length === 0 ? { sql: `${c.province} = ?`, params: [province] } : and({ sql: `${c.province} = ?`, params: [province] }, inList(c.county, counties));

/** Registry rows serving a place: within it, or above it (the province's own bodies, national ones). */
const servingPlace = (province: string, counties: readonly string[], c: { province: string; county: string }): SqlCondition =>
  or(
    { sql: `${c.province} IS NULL`, params: [] },
    counties.length === 0
      ? { sql: `${c.province} = ?`, params: [province] }
      : and({ sql: `${c.province} = ?`, params: [province] }, or({ sql: `${c.county} IS NULL`, params: [] }, inList(c.county, counties))),
  );

/** The place an agency serves (a provincial office: its whole province), read as a PLACE scope; NOTHING for none. */
export const servedScope = (place: Place | null): ReadScope =>
  place === null || place.province === null ? NOTHING : { kind: 'PLACE', province: place.province, counties: place.county === null ? [] : [place.county] };

/**
 * The rows of `kind` the scope sees, as SQL over a table with `columns`; null
 * when it sees every row (no condition to add).
 */
export const visibleRows = (scope: ReadScope, kind: RowKind, columns: RowColumns = {}): SqlCondition | null => {
  const c = {
    province: columns.province ?? 'province',
    county: columns.county ?? 'county',
    id: columns.id ?? ID_COLUMN[kind],
    leadAgencyId: columns.leadAgencyId ?? 'lead_agency_id',
    obstacleId: columns.obstacleId ?? 'obstacle_id',
  };
  switch (scope.kind) {
    case 'NATION':
      return null;
    case 'NOTHING':
      return NONE;
    case 'PLACE':
      return REGISTRIES.has(kind) ? servingPlace(scope.province, scope.counties, c) : inPlace(scope.province, scope.counties, c);
    case 'AGENCY': {
      const served = servedScope(scope.place);
      if (served.kind !== 'PLACE') return NONE;
      if (REGISTRIES.has(kind)) return servingPlace(served.province, served.counties, c);
      const cases = scope.cases;
      switch (kind) {
        case 'obstacle':
          return cases.obstacleIds.length === 0 ? NONE : inList(c.id, cases.obstacleIds);
        case 'unit':
          return cases.unitIds.length === 0 ? NONE : inList(c.id, cases.unitIds);
        case 'resolution':
          return or({ sql: `${c.leadAgencyId} = ?`, params: [scope.agencyId] }, cases.obstacleIds.length === 0 ? NONE : inList(c.obstacleId, cases.obstacleIds));
        default:
          // Meetings, visits and commitments are the workgroup's own record.
          return NONE;
      }
    }
  }
};

/**
 * The entries of a unit's history the scope sees, for a unit it sees: all of
 * them, except for an agency's users, who see the unit's own entries and
 * those of their cases and resolutions (not the unit's other cases, nor its
 * meetings). Columns are the unit-history read model's.
 */
export const visibleHistory = (scope: ReadScope): SqlCondition | null => {
  if (scope.kind !== 'AGENCY') return null;
  const { obstacleIds, resolutionIds } = scope.cases;
  return {
    sql: `subject_type = 'UNIT' OR (subject_type = 'OBSTACLE' AND subject_id IN (SELECT value FROM json_each(?))) OR (subject_type = 'RESOLUTION' AND subject_id IN (SELECT value FROM json_each(?)))`,
    params: [JSON.stringify(obstacleIds), JSON.stringify(resolutionIds)],
  };
};

/** `visibleHistory` over one entry in hand (a live update). */
export const admitsHistoryEntry = (scope: ReadScope, entry: { subjectType: string; subjectId: string }): boolean => {
  if (scope.kind !== 'AGENCY') return scope.kind !== 'NOTHING';
  if (entry.subjectType === 'UNIT') return true;
  if (entry.subjectType === 'OBSTACLE') return scope.cases.obstacleIds.includes(entry.subjectId);
  if (entry.subjectType === 'RESOLUTION') return scope.cases.resolutionIds.includes(entry.subjectId);
  return false;
};

/** A thing in hand, by the same fields the rows have. */
export interface Placed {
  province: string | null;
  county: string | null;
  id: string;
  leadAgencyId?: string | null;
  obstacleId?: string | null;
}

/** `visibleRows` over one thing already read (a live update, an audited stream's state). */
export const admits = (scope: ReadScope, kind: RowKind, thing: Placed): boolean => {
  const within = (province: string, counties: readonly string[]): boolean => {
    if (REGISTRIES.has(kind)) {
      if (thing.province === null) return true;
      if (thing.province !== province) return false;
      return counties.length === 0 || thing.county === null || counties.includes(thing.county);
    }
    return thing.province === province && (counties.length === 0 || (thing.county !== null && counties.includes(thing.county)));
  };
  switch (scope.kind) {
    case 'NATION':
      return true;
    case 'NOTHING':
      return false;
    case 'PLACE':
      return within(scope.province, scope.counties);
    case 'AGENCY': {
      const served = servedScope(scope.place);
      if (served.kind !== 'PLACE') return false;
      if (REGISTRIES.has(kind)) return within(served.province, served.counties);
      switch (kind) {
        case 'obstacle':
          // Live updates take the agency's scope as it is when each is sent (src/graphql/subscription.resolver.ts).
          return scope.cases.obstacleIds.includes(thing.id);
        case 'unit':
          return scope.cases.unitIds.includes(thing.id);
        case 'resolution':
          return thing.leadAgencyId === scope.agencyId || (thing.obstacleId != null && scope.cases.obstacleIds.includes(thing.obstacleId));
        default:
          return false;
      }
    }
  }
};

/** What the scope covers, in words, for the README's table and error messages. */
export const describeScope = (scope: ReadScope): string => {
  switch (scope.kind) {
    case 'NATION':
      return 'the nation';
    case 'NOTHING':
      return 'no case';
    case 'PLACE':
      return scope.counties.length === 0 ? scope.province : `${scope.counties.join(', ')} (${scope.province})`;
    case 'AGENCY':
      return `the cases referred to agency ${scope.agencyId}`;
  }
};
