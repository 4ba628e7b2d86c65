/**
 * Who may do what. One table, read by two guards: the GraphQL layer refuses a
 * role that may never run a mutation (`@Authorized`), and the command layer
 * checks the jurisdiction and the agency against the streams themselves, so
 * no path into the commands bypasses it.
 */
import { DomainError } from '../domain/decider';
import { hasRole, inJurisdiction, type Place, type Principal, type Role } from './principal';
import { READING_ROLES } from './scope';

/** What a command touches, as its own streams say. */
export interface Target extends Place {
  /** Registry id of the agency the thing is referred to (a case, a resolution), for AGENCY users. */
  leadAgencyId?: string | null;
}

/**
 * How a command reaches a thing:
 * - `subject`: the thing the command is about; the command's rule applies in full
 *   (roles, jurisdiction, and for an agency user, a thing referred to its own agency);
 * - `consequence`: a stream the command writes because of its subject (a link,
 *   a meeting number, a case closed by policy); it must lie in the actor's jurisdiction;
 * - `reference`: a thing the command names and records (a unit on an agenda, the
 *   meeting a case came from); it must lie in the actor's jurisdiction too.
 */
export type Reach = 'subject' | 'consequence' | 'reference';

export type Rule =
  /** Roles that act anywhere in their jurisdiction. */
  | { roles: Role[]; agencyMayAct?: false }
  /** …and AGENCY users may act on what was referred to their own agency. */
  | { roles: Role[]; agencyMayAct: true };

const OFFICE: Role[] = ['ADMIN', 'SECRETARIAT'];
const OFFICE_AND_CHAIR: Role[] = ['ADMIN', 'SECRETARIAT', 'CHAIR'];

export const COMMAND_RULES = {
  RegisterUnit: { roles: OFFICE },
  ChangeUnitActivityStatus: { roles: OFFICE_AND_CHAIR },
  RaiseObstacle: { roles: OFFICE_AND_CHAIR },
  ReferObstacle: { roles: OFFICE_AND_CHAIR },
  RecordObstacleProgress: { roles: OFFICE, agencyMayAct: true },
  ResolveObstacle: { roles: OFFICE_AND_CHAIR, agencyMayAct: true },
  ReopenObstacle: { roles: OFFICE_AND_CHAIR },
  ScheduleMeeting: { roles: OFFICE_AND_CHAIR },
  AddAgendaItem: { roles: OFFICE_AND_CHAIR },
  RecordMeetingHeld: { roles: OFFICE_AND_CHAIR },
  RecordResolution: { roles: OFFICE_AND_CHAIR },
  PostponeMeeting: { roles: OFFICE_AND_CHAIR },
  CancelMeeting: { roles: OFFICE_AND_CHAIR },
  // Registries: agencies and workgroups are configuration (ADMIN, or the secretariat of that place).
  RegisterAgency: { roles: OFFICE },
  RenameAgency: { roles: OFFICE },
  DeactivateAgency: { roles: OFFICE },
  RegisterWorkgroup: { roles: OFFICE },
  RegisterZone: { roles: OFFICE },
  AdvanceClusterConversion: { roles: OFFICE_AND_CHAIR },
  LinkUnitToZone: { roles: OFFICE },
  UpdateUnitProfile: { roles: OFFICE },
  // Follow-up: the workgroup communicates and decides; the lead agency objects, reports and settles its own.
  CommunicateResolution: { roles: OFFICE_AND_CHAIR },
  ObjectToResolution: { roles: ['ADMIN'], agencyMayAct: true },
  DecideObjection: { roles: OFFICE_AND_CHAIR },
  ReportResolutionProgress: { roles: OFFICE, agencyMayAct: true },
  RecordResolutionOutcome: { roles: OFFICE_AND_CHAIR, agencyMayAct: true },
  EscalateObstacle: { roles: OFFICE_AND_CHAIR },
  RecordVisit: { roles: OFFICE_AND_CHAIR },
  RecordVisitFindings: { roles: OFFICE_AND_CHAIR },
  MakeCommitment: { roles: OFFICE_AND_CHAIR },
  RecordCommitmentKept: { roles: OFFICE_AND_CHAIR },
  RecordCommitmentBroken: { roles: OFFICE_AND_CHAIR },
  ExtendCommitment: { roles: OFFICE_AND_CHAIR },
  // Access: revoking someone's tokens is the administrator's alone.
  RevokeTokens: { roles: ['ADMIN'] },
} satisfies Record<string, Rule>;

export type GuardedCommand = keyof typeof COMMAND_RULES;

/** Roles that may send a command at all (before its target is known). */
export const rolesFor = (command: GuardedCommand): Role[] => {
  const rule: Rule = COMMAND_RULES[command];
  return rule.agencyMayAct ? [...rule.roles, 'AGENCY'] : rule.roles;
};

/** Queries anyone signed in may run; the audit trail and projection status are narrower. */
export const READ_ROLES = {
  /** Every role whose read scope holds some cases (src/auth/scope.ts): OPERATOR reads projections, not cases. */
  readModels: READING_ROLES,
  auditTrail: ['ADMIN', 'AUDITOR', 'SECRETARIAT', 'CHAIR'] as Role[],
  /** Proof of integrity over the whole store: for the auditors and the administrator. */
  verifyIntegrity: ['ADMIN', 'AUDITOR'] as Role[],
  projectionStatus: ['ADMIN', 'OPERATOR', 'ANALYST', 'AUDITOR'] as Role[],
  /** Who lost access and why: the administrator and the auditors. */
  tokenRevocations: ['ADMIN', 'AUDITOR'] as Role[],
};

export const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);

const describe = (place: Place): string => place.county ?? place.province ?? 'the nation';

/** Whether an agency serving `served` covers `place`: its province, and its county unless it serves the whole province. */
export const agencyServes = (served: Place, place: Place): boolean =>
  served.province !== null && served.province === place.province && (served.county === null || served.county === place.county);

/**
 * Throws FORBIDDEN unless `principal` may reach `target` in running `command`.
 * `agencyPlace` is the place the AGENCY user's agency serves, as the agency
 * registry records it (null: unknown or deactivated, so the user acts on
 * nothing). AUDITOR, ANALYST, VIEWER and OPERATOR never change cases.
 */
export const authorize = (
  principal: Principal,
  command: GuardedCommand,
  target: Target,
  reach: Reach = 'subject',
  agencyPlace: Place | null = null,
): void => {
  const rule: Rule = COMMAND_RULES[command];
  if (hasRole(principal, ...rule.roles)) {
    if (!inJurisdiction(principal, target)) throw forbidden(`${command}: ${describe(target)} is outside your jurisdiction`);
    return;
  }
  if (rule.agencyMayAct && hasRole(principal, 'AGENCY')) {
    if (agencyPlace === null || principal.agencyId === null) throw forbidden(`${command}: your agency is not registered or no longer active`);
    if (!agencyServes(agencyPlace, target)) throw forbidden(`${command}: ${describe(target)} is outside the place your agency serves`);
    // The thing itself must be referred to this agency (by its registry id); what follows from it only needs to lie in its place.
    if (reach === 'subject' && (target.leadAgencyId == null || target.leadAgencyId !== principal.agencyId)) {
      throw forbidden(`${command}: only the agency this was referred to may do this`);
    }
    return;
  }
  throw forbidden(`${command}: your roles (${principal.roles.join(', ') || 'none'}) may not do this`);
};
