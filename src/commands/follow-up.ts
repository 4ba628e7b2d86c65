/**
 * Commands of the follow-up: a resolution's course after its meeting
 * (communicated, objected to, carried out, settled), a case's escalation,
 * field visits, and the commitments officials make. As in `facilitation.ts`,
 * a method gathers the facts its decider needs from other streams and hands
 * the pure command to `handleCommand`; nothing here reads a read model.
 */
import { forbidden } from '../auth/policy';
import { hasRole, type Principal } from '../auth/principal';
import { toPersianDigits } from '../calendar/persian-text';
import { commitmentDecider, type Commitment, type CommitmentSource } from '../domain/commitment';
import { DomainError, badUserInput, notFound, streamName } from '../domain/decider';
import { meetingDecider } from '../domain/meeting';
import { obstacleDecider, type EscalationLevel, type Obstacle } from '../domain/obstacle';
import {
  DEFAULT_OBJECTION_WINDOW_DAYS,
  isSettled,
  resolutionDecider,
  type Resolution,
  type ResolutionCommand,
  type ResolutionOutcome,
  type ResolutionStatus,
} from '../domain/resolution';
import { unitDecider } from '../domain/unit';
import { visitDecider, type Visit, type Visitor } from '../domain/visit';
import { workgroupDecider } from '../domain/workgroup';
import { zoneDecider } from '../domain/zone';
import type { EventStore } from '../eventstore/event-store';
import { idForNew, type Created } from './facilitation';
import { consequence, reference, referenced, subject } from './authorization';
import { commandIdFor, handleCommand, handleCommands, loadAggregate, occurredAt, type CommandContext, type CommandOutcome } from './handler';

export interface FollowUpOptions {
  /** Days an agency has to object after a resolution is communicated, unless the command names another window. */
  objectionWindowDays: number;
}

/** What settling a resolution did: the command's outcome, and the obstacle it closed when it was the last one open. */
export interface Settled extends CommandOutcome {
  closedObstacle: CommandOutcome | null;
}

export interface RecordVisitInput {
  visitedAt?: Date | null;
  visitors: { name: string; agency: string; role?: string | null }[];
  unitIds: string[];
  zoneId?: string | null;
  province: string;
  county: string;
  purpose: string;
}

export interface MakeCommitmentInput {
  madeBy: string;
  agency?: string | null;
  madeTo: string;
  description: string;
  dueDate: Date;
  source: CommitmentSource;
  zoneId?: string | null;
  unitIds: string[];
}

/** How the summary of an automatically closed case names each settled status. */
const SETTLED_WORDS: Partial<Record<ResolutionStatus, string>> = {
  IMPLEMENTED: 'اجرا شد',
  NOT_IMPLEMENTED: 'اجرا نشد',
  NO_ACTION: 'بلااقدام',
  WITHDRAWN: 'با پذیرش اعتراض لغو شد',
};

/** «همه مصوبات تعیین تکلیف شد: ۲ مصوبه اجرا شد، ۱ مصوبه بلااقدام». */
export const closingSummary = (resolutions: readonly Resolution[]): string => {
  const counts = new Map<string, number>();
  for (const r of resolutions) {
    const word = SETTLED_WORDS[r.status as ResolutionStatus];
    if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const parts = [...counts].map(([word, n]) => `${toPersianDigits(String(n))} مصوبه ${word}`);
  return parts.length === 0 ? 'همه مصوبات تعیین تکلیف شد' : `همه مصوبات تعیین تکلیف شد: ${parts.join('، ')}`;
};


/**
 * Each method copies the fields its event records one by one: the GraphQL
 * inputs also carry the command options (idempotency key, expected revision),
 * which belong in the metadata, not in the event.
 */
export class FollowUpCommands {
  private readonly options: FollowUpOptions;

  constructor(
    private readonly store: EventStore,
    options: Partial<FollowUpOptions> = {},
  ) {
    this.options = { objectionWindowDays: options.objectionWindowDays ?? DEFAULT_OBJECTION_WINDOW_DAYS };
  }

  // ─── Resolutions ─────────────────────────────────────────────────────────

  async communicateResolution(
    input: { resolutionId: string; objectionWindowDays?: number | null },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      resolutionDecider,
      input.resolutionId,
      {
        type: 'CommunicateResolution',
        data: {
          resolutionId: input.resolutionId,
          communicatedAt: occurredAt(ctx),
          objectionWindowDays: input.objectionWindowDays ?? this.options.objectionWindowDays,
        },
      },
      ctx,
      subject('CommunicateResolution'),
    );
  }

  /** The lead agency objects: an AGENCY user for their own agency, an ADMIN for the agency named. */
  async objectToResolution(
    input: { resolutionId: string; reason: string; agency?: string | null },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    const { state: resolution } = await referenced(this.store, ctx.principal, subject('ObjectToResolution'), resolutionDecider, input.resolutionId, 'resolutionId');
    const agency = objectingAgency(ctx.principal, input.agency ?? null, resolution.leadAgency);
    return handleCommand(
      this.store,
      resolutionDecider,
      input.resolutionId,
      {
        type: 'ObjectToResolution',
        data: { resolutionId: input.resolutionId, agency, reason: input.reason, objectedAt: occurredAt(ctx) },
      },
      { ...ctx, reason: input.reason },
      subject('ObjectToResolution'),
    );
  }

  /** Accepting the objection withdraws the resolution, which settles it: the case may close with it. */
  async decideObjection(
    input: { resolutionId: string; accepted: boolean; note: string },
    ctx: CommandContext,
  ): Promise<Settled> {
    return this.settle(
      input.resolutionId,
      { type: 'DecideObjection', data: { resolutionId: input.resolutionId, accepted: input.accepted, note: input.note, decidedAt: occurredAt(ctx) } },
      { ...ctx, reason: input.note },
      'DecideObjection',
    );
  }

  async reportResolutionProgress(input: { resolutionId: string; note: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      resolutionDecider,
      input.resolutionId,
      { type: 'ReportResolutionProgress', data: { resolutionId: input.resolutionId, note: input.note, reportedAt: occurredAt(ctx) } },
      ctx,
      subject('ReportResolutionProgress'),
    );
  }

  async recordResolutionOutcome(
    input: { resolutionId: string; outcome: ResolutionOutcome; note: string },
    ctx: CommandContext,
  ): Promise<Settled> {
    return this.settle(
      input.resolutionId,
      { type: 'RecordResolutionOutcome', data: { resolutionId: input.resolutionId, outcome: input.outcome, note: input.note, recordedAt: occurredAt(ctx) } },
      ctx,
      'RecordResolutionOutcome',
    );
  }

  /**
   * Settles a resolution, and closes its case (مختومه) when it was the case's
   * last unsettled one: one command, decided whole and appended in one
   * `appendToStreams` (one transaction on SQLite), so a case is never left
   * open behind its last settled resolution. The closing is the same actor's,
   * caused by the settling command, under an idempotency key derived from it,
   * so a retried command never closes the case a second time (not even after
   * it was reopened). The case is reached as a consequence: it must lie in the
   * caller's jurisdiction (its link to the resolution was checked so when it
   * was made). On EventStoreDB the resolution is appended first; a retry with
   * the same key closes the case if that append was the last to land.
   */
  private async settle(
    resolutionId: string,
    command: ResolutionCommand,
    ctx: CommandContext,
    settledBy: 'DecideObjection' | 'RecordResolutionOutcome',
  ): Promise<Settled> {
    const commandId = commandIdFor(command.type, ctx);
    const closingCtx: CommandContext = {
      principal: ctx.principal,
      now: ctx.now,
      // The case closes when its last resolution was settled, as the settling command says it happened.
      ...(ctx.occurredAt !== undefined ? { occurredAt: ctx.occurredAt } : {}),
      causationId: commandId,
      correlationId: ctx.correlationId ?? commandId,
      ...(ctx.clientCorrelationId !== undefined ? { clientCorrelationId: ctx.clientCorrelationId } : {}),
      idempotencyKey: `close-obstacle:${commandId}`,
    };
    let obstacleId: string | null = null;
    const [settled, closing] = await handleCommands(this.store, async (decide) => {
      obstacleId = null;
      const resolution = await decide(resolutionDecider, resolutionId, command, { ...ctx, commandId }, subject(settledBy));
      if (resolution.status === 'ABSENT' || !isSettled(resolution) || resolution.obstacleId === null) return;
      const caseId = resolution.obstacleId;
      obstacleId = caseId;
      const { state: obstacle, revision } = await loadAggregate(this.store, obstacleDecider, caseId);
      if (obstacle.status === 'ABSENT' || obstacle.status === 'RESOLVED') return;
      // The case's resolutions as their streams say, this one as it is once settled.
      const linked = (await this.linkedResolutions(obstacle)).map((r) => (r.status !== 'ABSENT' && r.resolutionId === resolutionId ? resolution : r));
      if (linked.some((r) => !isSettled(r))) return;
      await decide(
        obstacleDecider,
        caseId,
        { type: 'ResolveObstacle', data: { obstacleId: caseId, resolutionSummary: closingSummary(linked), resolvedAt: occurredAt(ctx), unsettledResolutionIds: [] } },
        // The revision the facts were read at: a resolution linked since then makes the whole command be decided again.
        { ...closingCtx, factsRevision: revision },
        consequence(settledBy),
      );
    });
    // Nothing closed now; a retried settling command still reports the closing its first run made.
    const closedBy = closing ?? (obstacleId === null ? null : await this.replayOf(obstacleId, closingCtx));
    return { ...settled!, closedObstacle: closedBy };
  }

  /** The closing an earlier run of the policy appended for this command, if any. */
  private async replayOf(obstacleId: string, policyCtx: CommandContext): Promise<CommandOutcome | null> {
    const commandId = commandIdFor('ResolveObstacle', policyCtx);
    const events = await this.store.readStream(streamName(obstacleDecider.category, obstacleId));
    const earlier = events.filter((e) => e.metadata.commandId === commandId).pop();
    return earlier
      ? { streamName: earlier.streamName, commandId, revision: earlier.revision, position: earlier.position, appended: 0, replayed: true }
      : null;
  }

  /** The obstacle's resolutions as their streams say; a link whose resolution was never recorded does not count. */
  private async linkedResolutions(obstacle: Exclude<Obstacle, { status: 'ABSENT' }>): Promise<Resolution[]> {
    const found: Resolution[] = [];
    for (const id of obstacle.resolutionIds) {
      const resolution = (await loadAggregate(this.store, resolutionDecider, id)).state;
      if (resolution.status !== 'ABSENT') found.push(resolution);
    }
    return found;
  }

  // ─── Escalation ──────────────────────────────────────────────────────────

  /** Up one level, to a registered body of that level (of the case's province, for a provincial one). */
  async escalateObstacle(
    input: { obstacleId: string; toLevel: EscalationLevel; workgroupId: string; reason: string },
    ctx: CommandContext,
  ): Promise<CommandOutcome> {
    // Authorized before the target is checked, so a caller outside the jurisdiction learns nothing about the bodies.
    const { state: obstacle } = await referenced(this.store, ctx.principal, subject('EscalateObstacle'), obstacleDecider, input.obstacleId, 'obstacleId');
    await this.requireEscalationTarget(obstacle, input.toLevel, input.workgroupId);
    return handleCommand(
      this.store,
      obstacleDecider,
      input.obstacleId,
      {
        type: 'EscalateObstacle',
        data: {
          obstacleId: input.obstacleId,
          toLevel: input.toLevel,
          toWorkgroupId: input.workgroupId,
          reason: input.reason,
          escalatedAt: occurredAt(ctx),
        },
      },
      { ...ctx, reason: input.reason },
      subject('EscalateObstacle'),
    );
  }

  /**
   * The body a case goes up to is above the caller's jurisdiction by design: it is not reached
   * as the caller's, only checked to be a body of that level for the case's province.
   */
  private async requireEscalationTarget(obstacle: { province: string }, toLevel: EscalationLevel, workgroupId: string): Promise<void> {
    const workgroup = (await loadAggregate(this.store, workgroupDecider, workgroupId)).state;
    if (workgroup.status === 'ABSENT') throw notFound('workgroup', workgroupId);
    if (workgroup.level !== toLevel) {
      throw badUserInput('workgroupId', `workgroup ${workgroupId} is a ${workgroup.level} body, not a ${toLevel} one`);
    }
    if (toLevel === 'PROVINCE' && workgroup.province !== obstacle.province) {
      throw badUserInput('workgroupId', `workgroup ${workgroupId} is the body of ${workgroup.province}, not of ${obstacle.province}`);
    }
  }

  // ─── Field visits ────────────────────────────────────────────────────────

  async recordVisit(input: RecordVisitInput, ctx: CommandContext): Promise<Created> {
    const visitId = idForNew('RecordVisit', ctx);
    const unitIds = [...new Set(input.unitIds)];
    const zoneId = input.zoneId ?? null;
    const visitors: Visitor[] = input.visitors.map((v) => ({ name: v.name, agency: v.agency, role: v.role ?? null }));
    const outcome = await handleCommand(
      this.store,
      visitDecider,
      visitId,
      {
        type: 'RecordVisit',
        data: {
          visitId,
          visitedAt: (input.visitedAt ?? ctx.occurredAt ?? ctx.now).toISOString(),
          visitors,
          unitIds,
          zoneId,
          province: input.province,
          county: input.county,
          purpose: input.purpose,
          existingUnitIds: await this.units('RecordVisit', unitIds, ctx),
          zoneExists: await this.zone('RecordVisit', zoneId, ctx),
        },
      },
      // `visitedAt`, the field older clients send, defaults to when it happened (`occurredAt`), which dates the event.
      { ...ctx, expectedRevision: undefined },
      subject('RecordVisit'),
    );
    return { ...outcome, id: visitId };
  }

  recordVisitFindings(input: { visitId: string; findings: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      visitDecider,
      input.visitId,
      { type: 'RecordVisitFindings', data: { visitId: input.visitId, findings: input.findings, recordedAt: occurredAt(ctx) } },
      ctx,
      subject('RecordVisitFindings'),
    );
  }

  // ─── Commitments ─────────────────────────────────────────────────────────

  /** The promise sits where the meeting or visit it was made at took place. */
  async makeCommitment(input: MakeCommitmentInput, ctx: CommandContext): Promise<Created> {
    const commitmentId = idForNew('MakeCommitment', ctx);
    const place = await this.placeOf(input.source, ctx);
    const unitIds = [...new Set(input.unitIds)];
    const zoneId = input.zoneId ?? null;
    const outcome = await handleCommand(
      this.store,
      commitmentDecider,
      commitmentId,
      {
        type: 'MakeCommitment',
        data: {
          commitmentId,
          madeBy: input.madeBy,
          agency: input.agency ?? null,
          madeTo: input.madeTo,
          description: input.description,
          dueDate: input.dueDate.toISOString(),
          source: { kind: input.source.kind, id: input.source.id },
          province: place.province,
          county: place.county,
          zoneId,
          unitIds,
          madeAt: occurredAt(ctx),
          sourceExists: true,
          existingUnitIds: await this.units('MakeCommitment', unitIds, ctx),
          zoneExists: await this.zone('MakeCommitment', zoneId, ctx),
        },
      },
      { ...ctx, expectedRevision: undefined },
      subject('MakeCommitment'),
    );
    return { ...outcome, id: commitmentId };
  }

  recordCommitmentKept(input: { commitmentId: string; evidence: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      commitmentDecider,
      input.commitmentId,
      { type: 'RecordCommitmentKept', data: { commitmentId: input.commitmentId, evidence: input.evidence, recordedAt: occurredAt(ctx) } },
      ctx,
      subject('RecordCommitmentKept'),
    );
  }

  recordCommitmentBroken(input: { commitmentId: string; evidence: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      commitmentDecider,
      input.commitmentId,
      { type: 'RecordCommitmentBroken', data: { commitmentId: input.commitmentId, evidence: input.evidence, recordedAt: occurredAt(ctx) } },
      { ...ctx, reason: input.evidence },
      subject('RecordCommitmentBroken'),
    );
  }

  extendCommitment(input: { commitmentId: string; newDueDate: Date; reason: string }, ctx: CommandContext): Promise<CommandOutcome> {
    return handleCommand(
      this.store,
      commitmentDecider,
      input.commitmentId,
      {
        type: 'ExtendCommitment',
        data: {
          commitmentId: input.commitmentId,
          newDueDate: input.newDueDate.toISOString(),
          reason: input.reason,
          extendedAt: occurredAt(ctx),
        },
      },
      { ...ctx, reason: input.reason },
      subject('ExtendCommitment'),
    );
  }

  // ─── Facts ───────────────────────────────────────────────────────────────

  /** Units a visit or promise concerns: each must exist and be the caller's. */
  private async units(command: 'RecordVisit' | 'MakeCommitment', unitIds: readonly string[], ctx: CommandContext): Promise<string[]> {
    for (const id of unitIds) await referenced(this.store, ctx.principal, reference(command), unitDecider, id, 'unitIds');
    return [...unitIds];
  }

  private async zone(command: 'RecordVisit' | 'MakeCommitment', zoneId: string | null, ctx: CommandContext): Promise<boolean> {
    if (zoneId !== null) await referenced(this.store, ctx.principal, reference(command), zoneDecider, zoneId, 'zoneId');
    return zoneId !== null;
  }

  /** Where the meeting or visit a promise was made at took place: the promise sits there, and it must be the caller's. */
  private async placeOf(source: CommitmentSource, ctx: CommandContext): Promise<{ province: string; county: string }> {
    const reaching = reference('MakeCommitment');
    const { state } =
      source.kind === 'MEETING'
        ? await referenced(this.store, ctx.principal, reaching, meetingDecider, source.id, 'source.id')
        : await referenced(this.store, ctx.principal, reaching, visitDecider, source.id, 'source.id');
    return { province: state.province, county: state.county };
  }
}

/**
 * The agency an objection is made for. An AGENCY user objects for their own
 * agency: the resolution's lead agency, which the authorization step checks by
 * registry id; naming another is FORBIDDEN. An ADMIN records it for the agency named.
 */
const objectingAgency = (principal: Principal, given: string | null, leadAgency: string): string => {
  if (hasRole(principal, 'ADMIN')) {
    if (given === null) throw badUserInput('agency', 'name the agency that objects', 'required when an ADMIN records an objection');
    return given;
  }
  if (given !== null && given !== leadAgency) throw forbidden(`ObjectToResolution: you act for the lead agency ${leadAgency}, not for ${given}`);
  return leadAgency;
};
