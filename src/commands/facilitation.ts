/**
 * The product's commands, one method each. A method gathers the facts its
 * decider needs from other aggregates (does the unit exist? which county is
 * it in?), builds the pure command and hands it to `handleCommand`. Nothing
 * here reads a read model: decisions rest on the event streams alone.
 */
import { authorize, type GuardedCommand } from '../auth/policy';
import { streamName } from '../domain/decider';
import type { Meeting } from '../domain/meeting';
import type { Obstacle } from '../domain/obstacle';
import type { Unit } from '../domain/unit';
import { meetingDecider, type Attendee, type AgendaItemKind } from '../domain/meeting';
import {
  obstacleDecider,
  type ObstacleCategory,
  type ObstaclePriority,
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
}

export interface RaiseObstacleInput {
  unitId: string;
  title: string;
  description: string;
  category: ObstacleCategory;
  priority: ObstaclePriority;
}

export interface ScheduleMeetingInput {
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
  leadAgency: string;
  cooperatingAgencies: string[];
  deadline: Date;
  obstacleId?: string | null;
  unitId?: string | null;
}

/**
 * A new aggregate's id. With an idempotency key the id derives from it, so a
 * retried "create" lands on the same aggregate instead of creating a twin.
 */
const idForNew = (commandType: string, ctx: CommandContext): string =>
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
          registeredAt: ctx.now.toISOString(),
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
      { type: 'ChangeUnitActivityStatus', data: { ...input, changedAt: ctx.now.toISOString() } },
      { ...ctx, reason: input.reason },
      onUnit('ChangeUnitActivityStatus', ctx),
    );
  }

  // ─── Obstacles ───────────────────────────────────────────────────────────

  async raiseObstacle(input: RaiseObstacleInput, ctx: CommandContext): Promise<Created> {
    const obstacleId = idForNew('RaiseObstacle', ctx);
    const unit = (await loadAggregate(this.store, unitDecider, input.unitId)).state;
    onUnit('RaiseObstacle', ctx)(unit);
    const outcome = await handleCommand(
      this.store,
      obstacleDecider,
      obstacleId,
      {
        type: 'RaiseObstacle',
        data: {
          obstacleId,
          ...input,
          province: unit.status === 'registered' ? unit.province : '',
          county: unit.status === 'registered' ? unit.county : '',
          raisedAt: ctx.now.toISOString(),
          unitExists: unit.status === 'registered',
        },
      },
      { ...ctx, expectedRevision: undefined },
    );
    return { ...outcome, id: obstacleId };
  }

  referObstacle(
    input: { obstacleId: string; leadAgency: string; cooperatingAgencies: string[]; deadline: Date },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      {
        type: 'ReferObstacle',
        data: { ...input, deadline: input.deadline.toISOString(), referredAt: ctx.now.toISOString() },
      },
      ctx,
      onObstacle('ReferObstacle', ctx),
    );
  }

  recordObstacleProgress(input: { obstacleId: string; note: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      { type: 'RecordObstacleProgress', data: { ...input, recordedAt: ctx.now.toISOString() } },
      ctx,
      onObstacle('RecordObstacleProgress', ctx),
    );
  }

  resolveObstacle(
    input: { obstacleId: string; resolutionSummary: string },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      { type: 'ResolveObstacle', data: { ...input, resolvedAt: ctx.now.toISOString() } },
      ctx,
      onObstacle('ResolveObstacle', ctx),
    );
  }

  reopenObstacle(input: { obstacleId: string; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      { type: 'ReopenObstacle', data: { ...input, reopenedAt: ctx.now.toISOString() } },
      { ...ctx, reason: input.reason },
      onObstacle('ReopenObstacle', ctx),
    );
  }

  // ─── Meetings ────────────────────────────────────────────────────────────

  async scheduleMeeting(input: ScheduleMeetingInput, ctx: CommandContext): Promise<Created> {
    authorize(ctx.principal, 'ScheduleMeeting', input);
    const meetingId = idForNew('ScheduleMeeting', ctx);
    const outcome = await handleCommand(
      this.store,
      meetingDecider,
      meetingId,
      { type: 'ScheduleMeeting', data: { meetingId, ...input, scheduledAt: input.scheduledAt.toISOString() } },
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

  async recordResolution(input: RecordResolutionInput, ctx: CommandContext): Promise<Created> {
    const resolutionId = idForNew('RecordResolution', ctx);
    const obstacleId = input.obstacleId ?? null;
    let unitId = input.unitId ?? null;
    let obstacleExists = false;
    if (obstacleId !== null) {
      const obstacle = (await loadAggregate(this.store, obstacleDecider, obstacleId)).state;
      obstacleExists = obstacle.status !== 'ABSENT';
      if (obstacle.status !== 'ABSENT') unitId = obstacle.unitId;
    }
    const outcome = await handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      {
        type: 'RecordResolution',
        data: {
          meetingId: input.meetingId,
          resolutionId,
          text: input.text,
          leadAgency: input.leadAgency,
          cooperatingAgencies: input.cooperatingAgencies,
          deadline: input.deadline.toISOString(),
          obstacleId,
          unitId,
          recordedAt: ctx.now.toISOString(),
          obstacleExists,
        },
      },
      ctx,
      onMeeting('RecordResolution', ctx),
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
      { type: 'CancelMeeting', data: { ...input, cancelledAt: ctx.now.toISOString() } },
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
