/**
 * Agency (دستگاه اجرایی): a government office, company or bank that resolutions
 * name as lead or cooperating agency. Renamed when offices merge; deactivated,
 * never deleted, so old resolutions still name an agency that existed.
 */
import { alreadyExists, invalidTransition, notFound, unreachable, type Decider, type DomainEvent } from './decider';

export const AGENCY_KINDS = [
  'SMT', // اداره صنعت، معدن و تجارت
  'SOCIAL_SECURITY', // تامین اجتماعی
  'INSURANCE',
  'TAX',
  'CUSTOMS',
  'LABOUR', // کار و رفاه اجتماعی
  'BANK',
  'WATER',
  'ELECTRICITY',
  'GAS',
  'INDUSTRIAL_PARKS', // شرکت شهرک‌های صنعتی
  'MUNICIPALITY',
  'TELECOM',
  'ENVIRONMENT',
  'GOVERNORATE', // استانداری / فرمانداری
  'JUDICIARY',
  'OTHER',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const AGENCY_STATUSES = ['ACTIVE', 'DEACTIVATED'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

// ─── Events ────────────────────────────────────────────────────────────────

export type AgencyRegistered = DomainEvent<
  'AgencyRegistered',
  {
    agencyId: string;
    name: string;
    kind: AgencyKind;
    province: string;
    /** Null for a provincial office (e.g. the province's SMT organisation). */
    county: string | null;
    registeredAt: string;
  }
>;
export type AgencyRenamed = DomainEvent<'AgencyRenamed', { agencyId: string; from: string; to: string; renamedAt: string }>;
export type AgencyDeactivated = DomainEvent<'AgencyDeactivated', { agencyId: string; reason: string; deactivatedAt: string }>;

export type AgencyEvent = AgencyRegistered | AgencyRenamed | AgencyDeactivated;

// ─── Commands ──────────────────────────────────────────────────────────────

export type RegisterAgency = { type: 'RegisterAgency'; data: AgencyRegistered['data'] };
export type RenameAgency = { type: 'RenameAgency'; data: { agencyId: string; name: string; renamedAt: string } };
export type DeactivateAgency = { type: 'DeactivateAgency'; data: AgencyDeactivated['data'] };

export type AgencyCommand = RegisterAgency | RenameAgency | DeactivateAgency;

// ─── State ─────────────────────────────────────────────────────────────────

export type Agency =
  | { status: 'ABSENT' }
  | {
      status: AgencyStatus;
      agencyId: string;
      name: string;
      kind: AgencyKind;
      province: string;
      county: string | null;
      registeredAt: string;
      deactivatedAt: string | null;
    };

export const initialState = (): Agency => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Agency, event: AgencyEvent): Agency => {
  if (event.type === 'AgencyRegistered') return { status: 'ACTIVE', ...event.data, deactivatedAt: null };
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'AgencyRenamed':
      return { ...state, name: event.data.to };
    case 'AgencyDeactivated':
      return { ...state, status: 'DEACTIVATED', deactivatedAt: event.data.deactivatedAt };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: AgencyCommand, state: Agency): AgencyEvent[] => {
  if (command.type === 'RegisterAgency') {
    if (state.status !== 'ABSENT') throw alreadyExists('agency', 'agencyId', command.data.agencyId);
    return [{ type: 'AgencyRegistered', data: { ...command.data } }];
  }
  if (state.status === 'ABSENT') throw notFound('agency', command.data.agencyId);

  switch (command.type) {
    case 'RenameAgency': {
      if (state.status === 'DEACTIVATED') throw invalidTransition('agency', state.status, 'rename');
      const { agencyId, name, renamedAt } = command.data;
      // A retried rename finds the name already in place.
      if (name === state.name) return [];
      return [{ type: 'AgencyRenamed', data: { agencyId, from: state.name, to: name, renamedAt } }];
    }
    case 'DeactivateAgency':
      if (state.status === 'DEACTIVATED') throw invalidTransition('agency', state.status, 'deactivate');
      return [{ type: 'AgencyDeactivated', data: { ...command.data } }];
    default:
      return unreachable(command);
  }
};

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, Agency> = {
  category: 'agency',
  initialState,
  evolve,
  decide,
};
