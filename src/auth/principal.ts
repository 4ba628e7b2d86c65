/**
 * Who is calling, as the token says: a subject, roles, and the jurisdiction
 * (province, counties) and agency the user belongs to.
 */
export const ROLES = ['ADMIN', 'SECRETARIAT', 'CHAIR', 'AGENCY', 'AUDITOR', 'ANALYST', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Recorded as the actor of every event this caller appends. */
  subject: string;
  roles: Role[];
  /** Province the user works for; null for national users. */
  province: string | null;
  /** Counties within the province; empty means the whole province. */
  counties: string[];
  /** Agency an AGENCY user acts for (e.g. «بانک ملی»). */
  agency: string | null;
}

/** The operator's own principal for CLI tasks (seed, maintenance): never issued as a token. */
export const systemPrincipal = (subject = 'system'): Principal => ({ subject, roles: ['ADMIN'], province: null, counties: [], agency: null });

export const hasRole = (principal: Principal, ...roles: Role[]): boolean => principal.roles.some((r) => roles.includes(r));

/** Whether a place falls inside the principal's jurisdiction. ADMIN and national users (no province) see everywhere. */
export const inJurisdiction = (principal: Principal, place: { province: string; county: string | null }): boolean => {
  if (hasRole(principal, 'ADMIN') || principal.province === null) return true;
  if (principal.province !== place.province) return false;
  if (principal.counties.length === 0) return true;
  return place.county !== null && principal.counties.includes(place.county);
};
