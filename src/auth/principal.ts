/**
 * Who is calling, as the token says: a subject, roles, the jurisdiction
 * (province, counties) the user works in, and for an AGENCY user the registry
 * id of the agency they act for. Principals are identified by registry ids,
 * never by display names.
 */
export const ROLES = ['ADMIN', 'OPERATOR', 'SECRETARIAT', 'CHAIR', 'AGENCY', 'AUDITOR', 'ANALYST', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Recorded as the actor of every event this caller appends. */
  subject: string;
  roles: Role[];
  /**
   * Province the user works for; null for national users. A token reaches null
   * only by saying so (`national: true`, or the ADMIN role): a missing claim
   * never widens (src/auth/tokens.ts).
   */
  province: string | null;
  /** Counties within the province; empty means the whole province. */
  counties: string[];
  /**
   * Registry id of the agency an AGENCY user acts for (the agency's stream
   * says its name and the place it serves). Null for everyone else.
   */
  agencyId: string | null;
}

/** The operator's own principal for CLI tasks (seed, maintenance): never issued as a token. */
export const systemPrincipal = (subject = 'system'): Principal => ({ subject, roles: ['ADMIN'], province: null, counties: [], agencyId: null });

export const hasRole = (principal: Principal, ...roles: Role[]): boolean => principal.roles.some((r) => roles.includes(r));

/** A place as the store records it: a thing's province, and its county (null for a provincial or national thing). */
export interface Place {
  province: string | null;
  county: string | null;
}

/**
 * Whether a place falls inside the principal's own jurisdiction (its
 * province and counties; ADMIN and national users everywhere). A provincial
 * thing (county null) is inside a province-wide user's jurisdiction only; a
 * national thing (province null) only a national user's.
 */
export const inJurisdiction = (principal: Principal, place: Place): boolean => {
  if (hasRole(principal, 'ADMIN') || principal.province === null) return true;
  if (place.province === null || principal.province !== place.province) return false;
  if (principal.counties.length === 0) return true;
  return place.county !== null && principal.counties.includes(place.county);
};
