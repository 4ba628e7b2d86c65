/**
 * The product's commands, one method each. A method gathers the facts its
 * decider needs from other aggregates (does the unit exist? which county is
 * it in?), builds the pure command and hands it to `handleCommand`. Nothing
 * here reads a read model: decisions rest on the event streams alone.
 */
import { authorize } from '../auth/policy';
import { DomainError, badUserInput, streamName } from '../domain/decider';
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
import type { Place } from '../auth/principal';
import type { EventStore } from '../eventstore/event-store';
import { consequence, reference, referenced, referencedAgency, referencedIfGiven, subject } from './authorization';
import { commandIdFor, handleCommand, handleCommands, loadAggregate, occurredAt, type CommandContext, type CommandOutcome } from './handler';
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

export class FacilitationCommands {
  constructor(private readonly store: EventStore) {}

  // ─── Units ───────────────────────────────────────────────────────────────

  async registerUnit(input: RegisterUnitInput, ctx: CommandContext): Promise<Created> {
    // The unit will sit where the input says: checked before the national ID is reserved, so a refused
    // registration appends nothing (handleCommand checks the registered unit again before its append).
    authorize(ctx.principal, 'RegisterUnit', input);
    const unitId = idForNew('RegisterUnit', ctx);
    const zone = await referencedIfGiven(this.store, ctx.principal, subject('RegisterUnit'), zoneDecider, input.zoneId, 'zoneId');
    const zoneId = input.zoneId ?? null;
    const zoneExists = zone !== null;
    // The national ID's reservation and the unit are one append (all or nothing on SQLite). On a store
    // without multi-stream transactions the reservation goes first, and a failure after it leaves a
    // reservation that a retry (same key, same unit id) or the next registration takes over.
    const [, outcome] = await handleCommands(this.store, async (decide) => {
      const reservation = await loadAggregate(this.store, nationalIdReservationDecider, input.nationalId);
      const reservedUnitExists =
        reservation.state.status === 'reserved' &&
        (await this.store.readStream(streamName('unit', reservation.state.unitId), { maxCount: 1 })).length > 0;
      await decide(
        nationalIdReservationDecider,
        input.nationalId,
        { type: 'ReserveNationalId', data: { nationalId: input.nationalId, unitId, reservedUnitExists } },
        { ...ctx, expectedRevision: undefined },
        consequence('RegisterUnit'),
      );
      await decide(
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
            registeredAt: occurredAt(ctx),
            zoneExists,
          },
        },
        { ...ctx, expectedRevision: undefined },
        subject('RegisterUnit'),
      );
    });
    return { ...outcome!, id: unitId };
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
        data: { unitId: input.unitId, status: input.status, reason: input.reason, changedAt: occurredAt(ctx) },
      },
      { ...ctx, reason: input.reason },
      subject('ChangeUnitActivityStatus'),
    );
  }

  // ─── Obstacles ───────────────────────────────────────────────────────────

  async raiseObstacle(input: RaiseObstacleInput, ctx: CommandContext): Promise<Created> {
    const obstacleId = idForNew('RaiseObstacle', ctx);
    const unitId = input.unitId ?? null;
    const zoneId = input.zoneId ?? null;
    // The case sits where its unit (or zone) is: jurisdiction checks read it from the obstacle's own stream later.
    const unit = await referencedIfGiven(this.store, ctx.principal, subject('RaiseObstacle'), unitDecider, unitId, 'unitId');
    const zone = await referencedIfGiven(this.store, ctx.principal, subject('RaiseObstacle'), zoneDecider, zoneId, 'zoneId');
    const place = unit?.place ?? zone?.place ?? null;
    // The body that takes the case up: the workgroup whose meeting raised it.
    let workgroupId: string | null = null;
    if (input.source) {
      // The meeting or visit it came from must exist and be the caller's to name, so the case's origin can always be followed.
      const reaching = reference('RaiseObstacle');
      if (input.source.kind === 'VISIT') await referenced(this.store, ctx.principal, reaching, visitDecider, input.source.id, 'source.id');
      else workgroupId = (await referenced(this.store, ctx.principal, reaching, meetingDecider, input.source.id, 'source.id')).state.workgroupId;
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
          raisedAt: occurredAt(ctx),
          workgroupId,
          unitExists: unit !== null,
          zoneExists: zone !== null,
        },
      },
      { ...ctx, expectedRevision: undefined },
      subject('RaiseObstacle'),
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
    const { place } = await referenced(this.store, ctx.principal, subject('ReferObstacle'), obstacleDecider, input.obstacleId, 'obstacleId');
    const lead = await this.leadAgency('ReferObstacle', input, place);
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
          referredAt: occurredAt(ctx),
        },
      },
      ctx,
      subject('ReferObstacle'),
    );
  }

  /**
   * Resolves a lead agency given by registry id and/or name; a registered agency must be active and
   * serve the place of what is referred to it. One named only (not registered) is recorded by name:
   * no agency user can act on it until it is referred to a registered agency.
   */
  private async leadAgency(
    command: 'ReferObstacle' | 'RecordResolution',
    input: { leadAgency?: string | null; leadAgencyId?: string | null },
    place: Place,
  ): Promise<{ id: string | null; name: string }> {
    const { leadAgency: name, leadAgencyId: id } = input;
    if (!id) {
      if (!name) throw new DomainError('BAD_USER_INPUT', 'name the lead agency: leadAgencyId (preferred) or leadAgency', {
        fields: [{ field: 'leadAgencyId', messages: ['leadAgencyId or leadAgency is required'] }],
      });
      return { id: null, name };
    }
    const agency = await referencedAgency(this.store, command, id, place, 'leadAgencyId');
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
      { type: 'RecordObstacleProgress', data: { obstacleId: input.obstacleId, note: input.note, recordedAt: occurredAt(ctx) } },
      ctx,
      subject('RecordObstacleProgress'),
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
          resolvedAt: occurredAt(ctx),
          unsettledResolutionIds: await this.unsettledResolutions(input.obstacleId),
        },
      },
      ctx,
      subject('ResolveObstacle'),
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
      { type: 'ReopenObstacle', data: { obstacleId: input.obstacleId, reason: input.reason, reopenedAt: occurredAt(ctx) } },
      { ...ctx, reason: input.reason },
      subject('ReopenObstacle'),
    );
  }

  // ─── Meetings ────────────────────────────────────────────────────────────

  async scheduleMeeting(input: ScheduleMeetingInput, ctx: CommandContext): Promise<Created> {
    const workgroupId = input.workgroupId ?? null;
    if (workgroupId !== null) {
      // The body must be the caller's, and the meeting where the body sits: its session numbers are its own.
      const { place } = await referenced(this.store, ctx.principal, subject('ScheduleMeeting'), workgroupDecider, workgroupId, 'workgroupId');
      if (place.province !== input.province || (place.county !== null && place.county !== input.county)) {
        throw badUserInput('workgroupId', `workgroup ${workgroupId} sits in ${place.county ?? place.province ?? 'the nation'}, not in ${input.county}`);
      }
    }
    // The meeting will sit where the input says: checked before a session number is reserved for it.
    authorize(ctx.principal, 'ScheduleMeeting', input);
    const meetingId = idForNew('ScheduleMeeting', ctx);
    const { workgroupId: _w, ...place } = input;
    // The session number and the meeting are one append: the workgroup's stream hands out numbers
    // with an expected revision, so two meetings never share one, and a refused meeting uses none up.
    const [outcome] = (
      await handleCommands(this.store, async (decide) => {
        let sequenceNumber: number | null = null;
        if (workgroupId !== null) {
          const body = await decide(
            workgroupDecider,
            workgroupId,
            { type: 'ReserveMeetingNumber', data: { workgroupId, meetingId, reservedAt: occurredAt(ctx) } },
            { ...ctx, expectedRevision: undefined },
            consequence('ScheduleMeeting'),
          );
          sequenceNumber = meetingNumberOf(body, meetingId);
        }
        await decide(
          meetingDecider,
          meetingId,
          { type: 'ScheduleMeeting', data: { meetingId, ...place, workgroupId, sequenceNumber, scheduledAt: input.scheduledAt.toISOString() } },
          { ...ctx, expectedRevision: undefined },
          subject('ScheduleMeeting'),
        );
      })
    ).slice(-1);
    return { ...outcome!, id: meetingId };
  }

  async addAgendaItem(
    input: { meetingId: string; kind: AgendaItemKind; subjectId: string; note?: string | null },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    const concerned = await this.concerned(input.kind, input.subjectId, ctx);
    return handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      {
        type: 'AddAgendaItem',
        data: { meetingId: input.meetingId, kind: input.kind, subjectId: input.subjectId, note: input.note ?? null, ...concerned, subjectExists: true },
      },
      ctx,
      subject('AddAgendaItem'),
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
          heldAt: (input.heldAt ?? ctx.occurredAt ?? ctx.now).toISOString(),
          attendees: input.attendees,
          minutes: input.minutes,
        },
      },
      // `heldAt`, the field older clients send, defaults to when it happened (`occurredAt`), which dates the event.
      ctx,
      subject('RecordMeetingHeld'),
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
    // The meeting the resolution is recorded in is the caller's; the resolution sits where it does.
    const { state: meeting, place, revision } = await referenced(this.store, ctx.principal, subject('RecordResolution'), meetingDecider, input.meetingId, 'meetingId');
    // The client's expectedRevision is the meeting's: the minutes it saw are the ones being resolved on.
    if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== revision) {
      throw new DomainError('CONFLICT', `meeting-${input.meetingId} was changed by someone else: expected revision ${ctx.expectedRevision}, current revision ${revision}`, {
        streamName: `meeting-${input.meetingId}`,
        expectedRevision: String(ctx.expectedRevision),
        currentRevision: String(revision),
      });
    }
    const lead = await this.leadAgency('RecordResolution', input, place);
    const reaching = reference('RecordResolution');
    // Every id is checked before the first append: the case and the unit must exist as such and be the caller's.
    const obstacle = await referencedIfGiven(this.store, ctx.principal, reaching, obstacleDecider, input.obstacleId, 'obstacleId');
    const unit = await referencedIfGiven(this.store, ctx.principal, reaching, unitDecider, input.unitId, 'unitId');
    const obstacleId = input.obstacleId ?? null;
    const unitId = obstacle?.state.unitId ?? unit?.state.unitId ?? null;
    const obstacleExists = obstacle !== null;
    // When the meeting was held, as its stream says: a resolution cannot be recorded before it.
    const held = (await this.store.readStream(streamName('meeting', input.meetingId))).find((e) => e.type === 'MeetingHeld');
    const meetingHeldAt = held === undefined ? null : String(held.data.heldAt);
    // The case's link and the resolution are one append, decided together: a resolution the decider
    // refuses leaves no link behind. The link is listed first, so that on a store without multi-stream
    // transactions the case cannot be closed while the resolution is being written.
    const [outcome] = (
      await handleCommands(this.store, async (decide) => {
        if (obstacleId !== null && obstacleExists && canRecordResolutions(meeting)) {
          await decide(
            obstacleDecider,
            obstacleId,
            { type: 'LinkResolution', data: { obstacleId, resolutionId, linkedAt: occurredAt(ctx) } },
            { ...ctx, expectedRevision: undefined },
            consequence('RecordResolution'),
          );
        }
        await decide(
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
              recordedAt: occurredAt(ctx),
              meetingHeld: canRecordResolutions(meeting),
              meetingHeldAt,
              obstacleExists,
            },
          },
          { ...ctx, expectedRevision: undefined },
          subject('RecordResolution'),
        );
      })
    ).slice(-1);
    return { ...outcome!, id: resolutionId };
  }

  postponeMeeting(input: { meetingId: string; to: Date; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      {
        type: 'PostponeMeeting',
        data: { meetingId: input.meetingId, to: input.to.toISOString(), reason: input.reason, postponedAt: occurredAt(ctx) },
      },
      { ...ctx, reason: input.reason },
      subject('PostponeMeeting'),
    );
  }

  cancelMeeting(input: { meetingId: string; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      meetingDecider,
      input.meetingId,
      { type: 'CancelMeeting', data: { meetingId: input.meetingId, reason: input.reason, cancelledAt: occurredAt(ctx) } },
      { ...ctx, reason: input.reason },
      subject('CancelMeeting'),
    );
  }

  /** The unit an agenda item concerns; the unit or case must be the caller's to put on the agenda. */
  /** What an agenda item concerns: a unit, the unit of a unit's case, or the zone of a zone's case (read, and authorized, from the store). */
  private async concerned(kind: AgendaItemKind, subjectId: string, ctx: CommandContext): Promise<{ unitId: string | null; zoneId?: string }> {
    const reaching = reference('AddAgendaItem');
    if (kind === 'UNIT') return { unitId: (await referenced(this.store, ctx.principal, reaching, unitDecider, subjectId, 'subjectId')).state.unitId };
    const { state } = await referenced(this.store, ctx.principal, reaching, obstacleDecider, subjectId, 'subjectId');
    return state.zoneId === null ? { unitId: state.unitId } : { unitId: null, zoneId: state.zoneId };
  }
}
