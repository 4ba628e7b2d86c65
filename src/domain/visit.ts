/**
 * Field visit (بازدید): officials visit units or a zone, and write down what
 * they found. Findings are only ever added, never edited: each one is what
 * was known when it was written, and the obstacles raised from it cite it.
 */
import {
  alreadyExists,
  badUserInput,
  notFound,
  requireAllExist,
  unreachable,
  type Decider,
  type DomainEvent,
} from './decider';

export interface Visitor {
  name: string;
  agency: string;
  role: string | null;
}

// ─── Events ────────────────────────────────────────────────────────────────

export type VisitRecorded = DomainEvent<
  'VisitRecorded',
  {
    visitId: string;
    visitedAt: string;
    visitors: Visitor[];
    unitIds: string[];
    zoneId: string | null;
    province: string;
    county: string;
    purpose: string;
  }
>;
export type VisitFindingsRecorded = DomainEvent<
  'VisitFindingsRecorded',
  { visitId: string; findings: string; recordedAt: string }
>;

export type VisitEvent = VisitRecorded | VisitFindingsRecorded;

// ─── Commands ──────────────────────────────────────────────────────────────

/**
 * Facts: `existingUnitIds`, those of `unitIds` that are registered units;
 * `zoneExists`, read only when `zoneId` is set.
 */
export type RecordVisit = {
  type: 'RecordVisit';
  data: VisitRecorded['data'] & { existingUnitIds: string[]; zoneExists: boolean };
};
export type RecordVisitFindings = { type: 'RecordVisitFindings'; data: VisitFindingsRecorded['data'] };

export type VisitCommand = RecordVisit | RecordVisitFindings;

// ─── State ─────────────────────────────────────────────────────────────────

export type Visit =
  | { status: 'ABSENT' }
  | {
      status: 'RECORDED';
      visitId: string;
      visitedAt: string;
      unitIds: string[];
      zoneId: string | null;
      province: string;
      county: string;
      findingsRecorded: number;
    };

export const initialState = (): Visit => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Visit, event: VisitEvent): Visit => {
  if (event.type === 'VisitRecorded') {
    const { visitId, visitedAt, unitIds, zoneId, province, county } = event.data;
    return { status: 'RECORDED', visitId, visitedAt, unitIds, zoneId, province, county, findingsRecorded: 0 };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'VisitFindingsRecorded':
      return { ...state, findingsRecorded: state.findingsRecorded + 1 };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: VisitCommand, state: Visit): VisitEvent[] => {
  if (command.type === 'RecordVisit') {
    if (state.status !== 'ABSENT') throw alreadyExists('visit', 'visitId', command.data.visitId);
    const { existingUnitIds, zoneExists, ...data } = command.data;
    if (data.visitors.length === 0) throw badUserInput('visitors', 'a visit needs at least one visitor');
    requireAllExist('unit', data.unitIds, existingUnitIds);
    if (data.zoneId !== null && !zoneExists) throw notFound('zone', data.zoneId);
    return [{ type: 'VisitRecorded', data }];
  }
  if (state.status === 'ABSENT') throw notFound('visit', command.data.visitId);

  switch (command.type) {
    case 'RecordVisitFindings':
      return [{ type: 'VisitFindingsRecorded', data: { ...command.data } }];
    default:
      return unreachable(command);
  }
};

export const visitDecider: Decider<VisitCommand, VisitEvent, Visit> = {
  category: 'visit',
  initialState,
  evolve,
  decide,
};
