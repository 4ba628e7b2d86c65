/**
 * Commands of the registries: agencies, workgroups, zones, and a unit's zone
 * and profile. Every stream is authorized by `handleCommand` on the place its
 * own events record (for a create, the place the decided events give it), so
 * a client cannot pass a friendlier province than the one on record.
 */
import { agencyDecider, type AgencyKind } from '../domain/agency';
import { unitDecider, type UnitProfile } from '../domain/unit';
import { workgroupDecider, type WorkgroupLevel } from '../domain/workgroup';
import { zoneDecider, type ConversionStage, type ZoneKind } from '../domain/zone';
import { reference, referenced, subject } from './authorization';
import type { EventStore } from '../eventstore/event-store';
import { idForNew, type Created } from './facilitation';
import { handleCommand, occurredAt, type CommandContext, type CommandOutcome } from './handler';

export interface RegisterAgencyInput {
  name: string;
  kind: AgencyKind;
  province: string;
  /** Null (or left out) for a provincial office. */
  county?: string | null;
}

export interface RegisterWorkgroupInput {
  level: WorkgroupLevel;
  province?: string | null;
  county?: string | null;
  name: string;
}

export interface RegisterZoneInput {
  name: string;
  kind: ZoneKind;
  province: string;
  county: string;
}

/** A field left out is left as it is; `null` clears it. */
export type UpdateUnitProfileInput = { unitId: string } & Partial<UnitProfile>;

const PROFILE_FIELDS = ['headCount', 'capacityUtilisation', 'isicCode', 'sector'] as const satisfies readonly (keyof UnitProfile)[];

/** A create has no revision to expect: the stream is new. */
const forCreate = (ctx: CommandContext): CommandContext => ({ ...ctx, expectedRevision: undefined });

export class RegistryCommands {
  constructor(private readonly store: EventStore) {}

  // ─── Agencies ────────────────────────────────────────────────────────────

  async registerAgency(input: RegisterAgencyInput, ctx: CommandContext): Promise<Created> {
    const county = input.county ?? null;
    const agencyId = idForNew('RegisterAgency', ctx);
    const outcome = await handleCommand(
      this.store,
      agencyDecider,
      agencyId,
      {
        type: 'RegisterAgency',
        data: { agencyId, name: input.name, kind: input.kind, province: input.province, county, registeredAt: occurredAt(ctx) },
      },
      forCreate(ctx),
      subject('RegisterAgency'),
    );
    return { ...outcome, id: agencyId };
  }

  renameAgency(input: { agencyId: string; name: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      agencyDecider,
      input.agencyId,
      { type: 'RenameAgency', data: { agencyId: input.agencyId, name: input.name, renamedAt: occurredAt(ctx) } },
      ctx,
      subject('RenameAgency'),
    );
  }

  deactivateAgency(input: { agencyId: string; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      agencyDecider,
      input.agencyId,
      { type: 'DeactivateAgency', data: { agencyId: input.agencyId, reason: input.reason, deactivatedAt: occurredAt(ctx) } },
      { ...ctx, reason: input.reason },
      subject('DeactivateAgency'),
    );
  }

  // ─── Workgroups ──────────────────────────────────────────────────────────

  async registerWorkgroup(input: RegisterWorkgroupInput, ctx: CommandContext): Promise<Created> {
    const province = input.province ?? null;
    const county = input.county ?? null;
    // The national HQ has no province: no provincial user's jurisdiction covers it, only national users' and ADMIN's.
    const workgroupId = idForNew('RegisterWorkgroup', ctx);
    const outcome = await handleCommand(
      this.store,
      workgroupDecider,
      workgroupId,
      {
        type: 'RegisterWorkgroup',
        data: { workgroupId, level: input.level, province, county, name: input.name, registeredAt: occurredAt(ctx) },
      },
      forCreate(ctx),
      subject('RegisterWorkgroup'),
    );
    return { ...outcome, id: workgroupId };
  }

  // ─── Zones ───────────────────────────────────────────────────────────────

  async registerZone(input: RegisterZoneInput, ctx: CommandContext): Promise<Created> {
    const zoneId = idForNew('RegisterZone', ctx);
    const outcome = await handleCommand(
      this.store,
      zoneDecider,
      zoneId,
      {
        type: 'RegisterZone',
        data: {
          zoneId,
          name: input.name,
          kind: input.kind,
          province: input.province,
          county: input.county,
          registeredAt: occurredAt(ctx),
        },
      },
      forCreate(ctx),
      subject('RegisterZone'),
    );
    return { ...outcome, id: zoneId };
  }

  advanceClusterConversion(
    input: { zoneId: string; stage: ConversionStage; note: string; skipReason?: string | null },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      zoneDecider,
      input.zoneId,
      {
        type: 'AdvanceClusterConversion',
        data: { zoneId: input.zoneId, stage: input.stage, note: input.note, advancedAt: occurredAt(ctx), skipReason: input.skipReason ?? null },
      },
      ctx,
      subject('AdvanceClusterConversion'),
    );
  }

  // ─── A unit's zone and profile ───────────────────────────────────────────

  /** Authorized on the unit (its workgroup decides where it stands) and on the zone, which must be the caller's too. */
  async linkUnitToZone(input: { unitId: string; zoneId: string }, ctx: CommandContext): Promise<CommandOutcome> {
    await referenced(this.store, ctx.principal, reference('LinkUnitToZone'), zoneDecider, input.zoneId, 'zoneId');
    const zoneExists = true;
    return handleCommand(
      this.store,
      unitDecider,
      input.unitId,
      { type: 'LinkUnitToZone', data: { unitId: input.unitId, zoneId: input.zoneId, zoneExists, linkedAt: occurredAt(ctx) } },
      ctx,
      subject('LinkUnitToZone'),
    );
  }

  updateUnitProfile(input: UpdateUnitProfileInput, ctx: CommandContext): Promise<CommandOutcome> {
    // Only the profile's own fields, and only those given: the command options never reach the event.
    const changes: Partial<UnitProfile> = {};
    for (const field of PROFILE_FIELDS) if (input[field] !== undefined) Object.assign(changes, { [field]: input[field] });
    return handleCommand(
      this.store,
      unitDecider,
      input.unitId,
      { type: 'UpdateUnitProfile', data: { unitId: input.unitId, ...changes, updatedAt: occurredAt(ctx) } },
      ctx,
      subject('UpdateUnitProfile'),
    );
  }
}
