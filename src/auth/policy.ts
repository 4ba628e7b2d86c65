/**
 * Who may do what. One table, read by two guards: the GraphQL layer refuses a
 * role that may never run a mutation (`@Authorized`), and the command layer
 * checks the jurisdiction and the agency against the streams themselves, so
 * no path into the commands bypasses it.
 */
import { DomainError } from '../domain/decider';
import { hasRole, inJurisdiction, type Principal, type Role } from './principal';

/** What a command touches, as its own streams say. */
export interface Target {
  province: string;
  county: string | null;
  /** Agency an obstacle is referred to, for AGENCY users. */
  leadAgency?: string | null;
}

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
  readModels: [] as Role[],
  auditTrail: ['ADMIN', 'AUDITOR', 'SECRETARIAT', 'CHAIR'] as Role[],
  /** Proof of integrity over the whole store: for the auditors and the administrator. */
  verifyIntegrity: ['ADMIN', 'AUDITOR'] as Role[],
  projectionStatus: ['ADMIN', 'ANALYST', 'AUDITOR'] as Role[],
  /** Who lost access and why: the administrator and the auditors. */
  tokenRevocations: ['ADMIN', 'AUDITOR'] as Role[],
};

export const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);

/**
 * Throws FORBIDDEN unless `principal` may run `command` on `target`.
 * AUDITOR, ANALYST and VIEWER never change anything.
 */
export const authorize = (principal: Principal, command: GuardedCommand, target: Target): void => {
  const rule: Rule = COMMAND_RULES[command];
  if (hasRole(principal, ...rule.roles)) {
    if (!inJurisdiction(principal, target)) {
      throw forbidden(`${command}: ${target.county ?? target.province} is outside your jurisdiction`);
    }
    return;
  }
  if (rule.agencyMayAct && hasRole(principal, 'AGENCY')) {
    if (principal.agency !== null && target.leadAgency != null && principal.agency === target.leadAgency) return;
    throw forbidden(`${command}: only the agency this obstacle was referred to may do this`);
  }
  throw forbidden(`${command}: your roles (${principal.roles.join(', ') || 'none'}) may not do this`);
};
