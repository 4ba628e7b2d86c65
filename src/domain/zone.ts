/**
 * Zone: an industrial park (شهرک صنعتی), a specialised park (شهرک تخصصی, e.g. a
 * shoe city), or an unplanned industrial cluster (لکه / ناحیه صنعتی). The
 * province wants its clusters converted into non-governmental parks (38 of
 * them in Tehran province); conversion goes through fixed stages, forward only.
 */
import {
  DomainError,
  alreadyExists,
  notFound,
  unreachable,
  type Decider,
  type DomainEvent,
} from './decider';

export const ZONE_KINDS = ['INDUSTRIAL_PARK', 'SPECIALISED_PARK', 'INDUSTRIAL_CLUSTER'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/** A cluster's way to a non-governmental park, in order. */
export const CONVERSION_STAGES = [
  'IDENTIFIED', // شناسایی شده: where every cluster starts
  'APPLICATION_FILED', // درخواست ثبت شد
  'PERMIT_ISSUED', // مجوز صادر شد
  'INFRASTRUCTURE', // تامین زیرساخت: water, power, gas, telecom, paving
  'CONVERTED', // شهرک صنعتی غیردولتی
] as const;
export type ConversionStage = (typeof CONVERSION_STAGES)[number];

// ─── Events ────────────────────────────────────────────────────────────────

export type ZoneRegistered = DomainEvent<
  'ZoneRegistered',
  { zoneId: string; name: string; kind: ZoneKind; province: string; county: string; registeredAt: string }
>;
export type ClusterConversionAdvanced = DomainEvent<
  'ClusterConversionAdvanced',
  {
    zoneId: string;
    from: ConversionStage;
    to: ConversionStage;
    note: string;
    advancedAt: string;
    /** The stages passed over, in order (none when `to` follows `from`); absent in events recorded before skips were told apart. */
    skipped?: ConversionStage[];
    /** Why they were passed over: required for a skip. */
    skipReason?: string | null;
  }
>;

export type ZoneEvent = ZoneRegistered | ClusterConversionAdvanced;

// ─── Commands ──────────────────────────────────────────────────────────────

export type RegisterZone = { type: 'RegisterZone'; data: ZoneRegistered['data'] };
export type AdvanceClusterConversion = {
  type: 'AdvanceClusterConversion';
  data: { zoneId: string; stage: ConversionStage; note: string; advancedAt: string; skipReason: string | null };
};

export type ZoneCommand = RegisterZone | AdvanceClusterConversion;

// ─── State ─────────────────────────────────────────────────────────────────

export type Zone =
  | { status: 'ABSENT' }
  | {
      status: 'REGISTERED';
      zoneId: string;
      name: string;
      /** A converted cluster is an INDUSTRIAL_PARK; `conversionStage` still tells where it came from. */
      kind: ZoneKind;
      province: string;
      county: string;
      registeredAt: string;
      /** Null for a zone registered as a park; a cluster's stage otherwise, `CONVERTED` once it is a park. */
      conversionStage: ConversionStage | null;
      /** True once a cluster is converted: a park run by its own owners, not by the industrial-parks company. */
      nonGovernmental: boolean;
    };

export const initialState = (): Zone => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Zone, event: ZoneEvent): Zone => {
  if (event.type === 'ZoneRegistered') {
    return {
      status: 'REGISTERED',
      ...event.data,
      conversionStage: event.data.kind === 'INDUSTRIAL_CLUSTER' ? 'IDENTIFIED' : null,
      nonGovernmental: false,
    };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'ClusterConversionAdvanced':
      return event.data.to === 'CONVERTED'
        ? { ...state, conversionStage: 'CONVERTED', kind: 'INDUSTRIAL_PARK', nonGovernmental: true }
        : { ...state, conversionStage: event.data.to };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: ZoneCommand, state: Zone): ZoneEvent[] => {
  if (command.type === 'RegisterZone') {
    if (state.status !== 'ABSENT') throw alreadyExists('zone', 'zoneId', command.data.zoneId);
    return [{ type: 'ZoneRegistered', data: { ...command.data } }];
  }
  if (state.status === 'ABSENT') throw notFound('zone', command.data.zoneId);

  switch (command.type) {
    case 'AdvanceClusterConversion': {
      const { zoneId, stage, note, advancedAt } = command.data;
      const verb = `advance the conversion to ${stage}`;
      const from = state.conversionStage;
      if (from === null) {
        throw new DomainError('INVALID_TRANSITION', `cannot ${verb}: the zone is ${state.kind}, and only an INDUSTRIAL_CLUSTER converts`, {
          kind: state.kind,
          command: verb,
        });
      }
      // None is ever undone.
      const fromIndex = CONVERSION_STAGES.indexOf(from);
      const toIndex = CONVERSION_STAGES.indexOf(stage);
      if (toIndex <= fromIndex) {
        throw new DomainError('INVALID_TRANSITION', `cannot ${verb}: the cluster is already at ${from}, and stages only move forward`, {
          status: from,
          command: verb,
        });
      }
      // Stages are passed in order; passing one over (a permit issued with its application) is a
      // decision of its own, with its reason, and the record says which stages were skipped.
      const skipped = CONVERSION_STAGES.slice(fromIndex + 1, toIndex);
      const skipReason = command.data.skipReason?.trim() || null;
      if (skipped.length > 0 && skipReason === null) {
        throw new DomainError('INVALID_TRANSITION', `cannot ${verb}: the cluster is at ${from}, and skipping ${skipped.join(', ')} needs a skipReason`, {
          status: from,
          command: verb,
        });
      }
      return [
        {
          type: 'ClusterConversionAdvanced',
          data: { zoneId, from, to: stage, note, advancedAt, ...(skipped.length > 0 ? { skipped: [...skipped], skipReason } : {}) },
        },
      ];
    }
    default:
      return unreachable(command);
  }
};

export const zoneDecider: Decider<ZoneCommand, ZoneEvent, Zone> = {
  category: 'zone',
  initialState,
  evolve,
  decide,
};
