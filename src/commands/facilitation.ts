/**
 * The product's commands, one method each. A method gathers the facts its
 * decider needs from other aggregates (does the unit exist? which county is
 * it in?), builds the pure command and hands it to `handleCommand`. Nothing
 * here reads a read model: decisions rest on the event streams alone.
 */
import { authorize, type GuardedCommand } from '../auth/policy';
import { agencyDecider } from '../domain/agency';
import { DomainError, invalidTransition, notFound, streamName } from '../domain/decider';
import type { Meeting } from '../domain/meeting';
import type { Obstacle } from '../domain/obstacle';
import type { Unit } from '../domain/unit';
import { canRecordResolutions, meetingDecider, type Attendee, type AgendaItemKind } from '../domain/meeting';
import { isSettled, resolutionDecider } from '../domain/resolution';
import { meetingNumberOf, workgroupDecider } from '../domain/workgroup';
import { visitDecider } from '../domain/visit';
import { zoneDecider } from '../domain/zone';
import {
  obstacleDecider,
  type ObstacleCategory,
  type ObstaclePriority,
  type ObstacleSource,
} from '../domain/obstacle';
import { nationalIdReservationDecider, unitDecider, type ActivityStatus } from '../domain/unit';
import type { EventStore } from '../eventstore/event-store';
import { commandIdFor, handleCommand, loadAggregate, type CommandContext, type CommandOutcome } from './handler';
import { newId, uuidV5 } from './ids';

export interface Created extends CommandOutcome {
  id: string;
}

export interface RegisterUnitInput {
  name: string;
  nationalId: string;
  sector: string;
  province: string;
  county: string;
  location?: string | null;
  headCount?: number | null;
  activityStatus: ActivityStatus;
  zoneId?: string | null;
  isicCode?: string | null;
  capacityUtilisation?: number | null;
}

export interface RaiseObstacleInput {
  /** Exactly one of unit and zone: the obstacle belongs to a unit, or to a whole zone. */
  unitId?: string | null;
  zoneId?: string | null;
  source?: ObstacleSource | null;
  title: string;
  description: string;
  category: ObstacleCategory;
  priority: ObstaclePriority;
}

export interface ScheduleMeetingInput {
  /** The workgroup meeting; its next sequence number is assigned by the system. */
  workgroupId?: string | null;
  province: string;
  county: string;
  title: string;
  scheduledAt: Date;
  venue: string;
  chair: string;
}

export interface RecordResolutionInput {
  meetingId: string;
  text: string;
  /** By registry id (preferred) or by name. */
  leadAgency?: string | null;
  leadAgencyId?: string | null;
  cooperatingAgencies: string[];
  deadline: Date;
  obstacleId?: string | null;
  unitId?: string | null;
}

/**
 * A new aggregate's id. With an idempotency key the id derives from it, so a
 * retried "create" lands on the same aggregate instead of creating a twin.
 */
export const idForNew = (commandType: string, ctx: CommandContext): string =>
  ctx.idempotencyKey === undefined ? newId() : uuidV5(`id\n${commandIdFor(commandType, ctx)}`);

/**
 * Authorization on the state the command will be decided on. An absent
 * aggregate passes: the decider answers NOT_FOUND.
 */
const onUnit = (command: GuardedCommand, ctx: CommandContext) => (unit: Unit) => {
  if (unit.status === 'registered') authorize(ctx.principal, command, unit);
};
const onObstacle = (command: GuardedCommand, ctx: CommandContext) => (obstacle: Obstacle) => {
  if (obstacle.status !== 'ABSENT') authorize(ctx.principal, command, obstacle);
};
const onMeeting = (command: GuardedCommand, ctx: CommandContext) => (meeting: Meeting) => {
  if (meeting.status !== 'ABSENT') authorize(ctx.principal, command, meeting);
};

export class FacilitationCommands {
  constructor(private readonly store: EventStore) {}

  // ─── Units ───────────────────────────────────────────────────────────────

  async registerUnit(input: RegisterUnitInput, ctx: CommandContext): Promise<Created> {
    authorize(ctx.principal, 'RegisterUnit', input);
    const unitId = idForNew('RegisterUnit', ctx);
    const zoneId = input.zoneId ?? null;
    const zoneExists = zoneId !== null && (await loadAggregate(this.store, zoneDecider, zoneId)).state.status !== 'ABSENT';
    // Reserve the national ID first: a failure after this leaves a reservation
    // that a retry (same key, same unit id) or the next registration takes over.
    const reservation = await loadAggregate(this.store, nationalIdReservationDecider, input.nationalId);
    const reservedUnitExists =
      reservation.state.status === 'reserved' &&
      (await this.store.readStream(streamName('unit', reservation.state.unitId), { maxCount: 1 })).length > 0;
    await handleCommand(
      this.store,
      nationalIdReservationDecider,
      input.nationalId,
      { type: 'ReserveNationalId', data: { nationalId: input.nationalId, unitId, reservedUnitExists } },
      { ...ctx, expectedRevision: undefined },
    );
    const outcome = await handleCommand(
      this.store,
      unitDecider,
      unitId,
      {
        type: 'RegisterUnit',
        data: {
          unitId,
          name: input.name,
          nationalId: input.nationalId,
          sector: input.sector,
          province: input.province,
          county: input.county,
          location: input.location ?? null,
          headCount: input.headCount ?? null,
          activityStatus: input.activityStatus,
          zoneId,
          isicCode: input.isicCode ?? null,
          capacityUtilisation: input.capacityUtilisation ?? null,
          registeredAt: ctx.now.toISOString(),
          zoneExists,
        },
      },
      { ...ctx, expectedRevision: undefined },
    );
    return { ...outcome, id: unitId };
  }

  changeUnitActivityStatus(
    input: { unitId: string; status: ActivityStatus; reason: string },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      unitDecider,
      input.unitId,
      {
        type: 'ChangeUnitActivityStatus',
        data: { unitId: input.unitId, status: input.status, reason: input.reason, changedAt: ctx.now.toISOString() },
      },
      { ...ctx, reason: input.reason },
      onUnit('ChangeUnitActivityStatus', ctx),
    );
  }

  // ─── Obstacles ───────────────────────────────────────────────────────────

  async raiseObstacle(input: RaiseObstacleInput, ctx: CommandContext): Promise<Created> {
    const obstacleId = idForNew('RaiseObstacle', ctx);
    const unitId = input.unitId ?? null;
    const zoneId = input.zoneId ?? null;
    const unit = unitId === null ? null : (await loadAggregate(this.store, unitDecider, unitId)).state;
    const zone = zoneId === null ? null : (await loadAggregate(this.store, zoneDecider, zoneId)).state;
    // The case sits where its unit (or zone) is: jurisdiction checks read it from the obstacle's own stream later.
    const place = unit?.status === 'registered' ? unit : zone !== null && zone.status !== 'ABSENT' ? zone : null;
    if (place) authorize(ctx.principal, 'RaiseObstacle', place);
    if (input.source) {
      // The meeting or visit it came from must exist, so the case's origin can always be followed.
      const source =
        input.source.kind === 'VISIT'
          ? (await loadAggregate(this.store, visitDecider, input.source.id)).state.status
          : (await loadAggregate(this.store, meetingDecider, input.source.id)).state.status;
      if (source === 'ABSENT') throw notFound(input.source.kind === 'VISIT' ? 'visit' : 'meeting', input.source.id);
    }
    const outcome = await handleCommand(
      this.store,
      obstacleDecider,
      obstacleId,
      {
        type: 'RaiseObstacle',
        data: {
          obstacleId,
          unitId,
          zoneId,
          title: input.title,
          description: input.description,
          category: input.category,
          priority: input.priority,
          source: input.source ?? null,
          province: place?.province ?? '',
          county: place?.county ?? '',
          raisedAt: ctx.now.toISOString(),
          unitExists: unit?.status === 'registered',
          zoneExists: zone !== null && zone.status !== 'ABSENT',
        },
      },
      { ...ctx, expectedRevision: undefined },
    );
    return { ...outcome, id: obstacleId };
  }

  /**
   * The lead agency is named by its id in the agency registry (its registered
   * name is recorded beside it), or, for an agency not registered yet, by name.
   */
  async referObstacle(
    input: { obstacleId: string; leadAgency?: string | null; leadAgencyId?: string | null; cooperatingAgencies: string[]; deadline: Date },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    const lead = await this.leadAgency(input);
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      {
        type: 'ReferObstacle',
        data: {
          obstacleId: input.obstacleId,
          leadAgency: lead.name,
          leadAgencyId: lead.id,
          cooperatingAgencies: input.cooperatingAgencies,
          deadline: input.deadline.toISOString(),
          referredAt: ctx.now.toISOString(),
        },
      },
      ctx,
      onObstacle('ReferObstacle', ctx),
    );
  }

  /** Resolves a lead agency given by registry id and/or name; a registered agency must be active. */
  private async leadAgency(input: { leadAgency?: string | null; leadAgencyId?: string | null }): Promise<{ id: string | null; name: string }> {
    const { leadAgency: name, leadAgencyId: id } = input;
    if (!id) {
      if (!name) throw new DomainError('BAD_USER_INPUT', 'name the lead agency: leadAgencyId (preferred) or leadAgency', {
        fields: [{ field: 'leadAgencyId', messages: ['leadAgencyId or leadAgency is required'] }],
      });
      return { id: null, name };
    }
    const agency = (await loadAggregate(this.store, agencyDecider, id)).state;
    if (agency.status === 'ABSENT') throw notFound('agency', id);
    if (agency.status === 'DEACTIVATED') throw invalidTransition('agency', agency.status, 'refer to it');
    if (name && name !== agency.name) {
      throw new DomainError('BAD_USER_INPUT', `agency ${id} is «${agency.name}», not «${name}»`, {
        fields: [{ field: 'leadAgency', messages: [`does not match the registered name «${agency.name}»`] }],
      });
    }
    return { id, name: agency.name };
  }

  recordObstacleProgress(input: { obstacleId: string; note: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      { type: 'RecordObstacleProgress', data: { obstacleId: input.obstacleId, note: input.note, recordedAt: ctx.now.toISOString() } },
      ctx,
      onObstacle('RecordObstacleProgress', ctx),
    );
  }

  async resolveObstacle(input: { obstacleId: string; resolutionSummary: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      {
        type: 'ResolveObstacle',
        data: {
          obstacleId: input.obstacleId,
          resolutionSummary: input.resolutionSummary,
          resolvedAt: ctx.now.toISOString(),
          unsettledResolutionIds: await this.unsettledResolutions(input.obstacleId),
        },
      },
      ctx,
      onObstacle('ResolveObstacle', ctx),
    );
  }

  /** Linked resolutions still awaiting an outcome; a link whose resolution was never recorded does not count. */
  private async unsettledResolutions(obstacleId: string): Promise<string[]> {
    const obstacle = (await loadAggregate(this.store, obstacleDecider, obstacleId)).state;
    if (obstacle.status === 'ABSENT') return [];
    const unsettled: string[] = [];
    for (const resolutionId of obstacle.resolutionIds) {
      const resolution = (await loadAggregate(this.store, resolutionDecider, resolutionId)).state;
      if (resolution.status !== 'ABSENT' && !isSettled(resolution)) unsettled.push(resolutionId);
    }
    return unsettled;
  }

  reopenObstacle(input: { obstacleId: string; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      { type: 'ReopenObstacle', data: { obstacleId: input.obstacleId, reason: input.reason, reopenedAt: ctx.now.toISOString() } },
      { ...ctx, reason: input.reason },
      onObstacle('ReopenObstacle', ctx),
    );
  }

  // ─── Meetings ────────────────────────────────────────────────────────────

  async scheduleMeeting(input: ScheduleMeetingInput, ctx: CommandContext): Promise<Created> {
    authorize(ctx.principal, 'ScheduleMeeting', input);
    const meetingId = idForNew('ScheduleMeeting', ctx);
    const workgroupId = input.workgroupId ?? null;
    let sequenceNumber: number | null = null;
    if (workgroupId !== null) {
      // The workgroup's stream hands out numbers with an expected revision: two meetings never share one.
      await handleCommand(
        this.store,
        workgroupDecider,
        workgroupId,
        { type: 'ReserveMeetingNumber', data: { workgroupId, meetingId, reservedAt: ctx.now.toISOString() } },
        { ...ctx, expectedRevision: undefined },
      );
      sequenceNumber = meetingNumberOf((await loadAggregate(this.store, workgroupDecider, workgroupId)).state, meetingId);
    }
    const { workgroupId: _w, ...place } = input;
    const outcome = await handleCommand(
      this.store,
      meetingDecider,
      meetingId,
      {
        type: 'ScheduleMeeting',
        data: { meetingId, ...place, workgroupId, sequenceNumber, scheduledAt: input.scheduledAt.toISOString() },
      },
      { ...ctx, expectedRevision: undefined },
    );
    return { ...outcome, id: meetingId };
  }

  async addAgendaItem(
    input: { meetingId: string; kind: AgendaItemKind; subjectId: string; note?: string | null },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    const unitId = await this.unitConcerned(input.kind, input.subjectId);
    return handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      {
        type: 'AddAgendaItem',
        data: { meetingId: input.meetingId, kind: input.kind, subjectId: input.subjectId, note: input.note ?? null, unitId },
      },
      ctx,
      onMeeting('AddAgendaItem', ctx),
    );
  }

  recordMeetingHeld(
    input: { meetingId: string; heldAt?: Date | null; attendees: Attendee[]; minutes: string },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      {
        type: 'RecordMeetingHeld',
        data: {
          meetingId: input.meetingId,
          heldAt: (input.heldAt ?? ctx.now).toISOString(),
          attendees: input.attendees,
          minutes: input.minutes,
        },
      },
      ctx,
      onMeeting('RecordMeetingHeld', ctx),
    );
  }

  /**
   * A resolution is its own stream. The linked obstacle records the link
   * first, so a case cannot be closed while a resolution about it is being
   * recorded; a link whose resolution never got written (a crash between the
   * two appends) does not block the case, and a retry with the same key completes it.
   */
  async recordResolution(input: RecordResolutionInput, ctx: CommandContext): Promise<Created> {
    const resolutionId = idForNew('RecordResolution', ctx);
    const lead = await this.leadAgency(input);
    const { state: meeting, revision } = await loadAggregate(this.store, meetingDecider, input.meetingId);
    if (meeting.status === 'ABSENT') throw notFound('meeting', input.meetingId);
    authorize(ctx.principal, 'RecordResolution', meeting);
    // The client's expectedRevision is the meeting's: the minutes it saw are the ones being resolved on.
    if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== revision) {
      throw new DomainError('CONFLICT', `meeting-${input.meetingId} was changed by someone else: expected revision ${ctx.expectedRevision}, current revision ${revision}`, {
        streamName: `meeting-${input.meetingId}`,
        expectedRevision: String(ctx.expectedRevision),
        currentRevision: String(revision),
      });
    }
    const obstacleId = input.obstacleId ?? null;
    let unitId = input.unitId ?? null;
    let obstacleExists = false;
    if (obstacleId !== null) {
      const obstacle = (await loadAggregate(this.store, obstacleDecider, obstacleId)).state;
      obstacleExists = obstacle.status !== 'ABSENT';
      if (obstacle.status !== 'ABSENT') {
        unitId = obstacle.unitId ?? unitId;
        if (canRecordResolutions(meeting)) {
          await handleCommand(
            this.store,
            obstacleDecider,
            obstacleId,
            { type: 'LinkResolution', data: { obstacleId, resolutionId, linkedAt: ctx.now.toISOString() } },
            { ...ctx, expectedRevision: undefined },
          );
        }
      }
    }
    const outcome = await handleCommand(
      this.store,
      resolutionDecider,
      resolutionId,
      {
        type: 'RecordResolution',
        data: {
          meetingId: input.meetingId,
          resolutionId,
          text: input.text,
          leadAgency: lead.name,
          leadAgencyId: lead.id,
          cooperatingAgencies: input.cooperatingAgencies,
          deadline: input.deadline.toISOString(),
          obstacleId,
          unitId,
          recordedAt: ctx.now.toISOString(),
          meetingHeld: canRecordResolutions(meeting),
          obstacleExists,
        },
      },
      { ...ctx, expectedRevision: undefined },
    );
    return { ...outcome, id: resolutionId };
  }

  postponeMeeting(input: { meetingId: string; to: Date; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      {
        type: 'PostponeMeeting',
        data: { meetingId: input.meetingId, to: input.to.toISOString(), reason: input.reason, postponedAt: ctx.now.toISOString() },
      },
      { ...ctx, reason: input.reason },
      onMeeting('PostponeMeeting', ctx),
    );
  }

  cancelMeeting(input: { meetingId: string; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      { type: 'CancelMeeting', data: { meetingId: input.meetingId, reason: input.reason, cancelledAt: ctx.now.toISOString() } },
      { ...ctx, reason: input.reason },
      onMeeting('CancelMeeting', ctx),
    );
  }

  /** The unit an agenda item concerns, or null when the subject does not exist. */
  private async unitConcerned(kind: AgendaItemKind, subjectId: string): Promise<string | null> {
    if (kind === 'UNIT') {
      const unit = (await loadAggregate(this.store, unitDecider, subjectId)).state;
      return unit.status === 'registered' ? unit.unitId : null;
    }
    const obstacle = (await loadAggregate(this.store, obstacleDecider, subjectId)).state;
    return obstacle.status === 'ABSENT' ? null : obstacle.unitId;
  }
}
