/**
 * Audit access is itself sensitive: whoever reads a case's history, its state
 * on a date or the integrity report leaves a structured log line saying so.
 */
import { forbidden, READ_ROLES } from '../auth/policy';
import { hasRole } from '../auth/principal';
import { admits, type RowKind } from '../auth/scope';
import { DECIDERS_BY_CATEGORY } from '../audit/replay';
import { placeOf } from '../commands/authorization';
import { loadAggregate } from '../commands/handler';
import { accessDecider } from '../domain/access';
import type { TashilContext } from './context';

export type AuditQuery = 'auditTrail' | 'replay' | 'stateAsOf' | 'verifyIntegrity' | 'causedBy';

/** One `audit access` line: who, which query, on what, in which request; plus the query's own arguments. */
export const logAuditAccess = (
  ctx: TashilContext,
  query: AuditQuery,
  target: { kind?: string | null; id?: string | null } & Record<string, unknown>,
): void => {
  const { kind = null, id = null, ...args } = target;
  ctx.log(
    'audit access',
    {
      actor: ctx.principal?.subject ?? null,
      roles: ctx.principal?.roles ?? [],
      query,
      kind,
      id,
      requestId: ctx.requestId,
      ...(Object.keys(args).length > 0 ? { args } : {}),
    },
    'info',
    // On record before the answer leaves: a crash in between must not leave a look unlogged.
    { flush: true },
  );
};

/**
 * Who lost access and why is for the administrator and the auditors only (as
 * `tokenRevocations`), also through the audit queries other roles may run on
 * cases. Checked after the attempt is logged: a refused look is on record too.
 */
export const mayAudit = (ctx: TashilContext, kind: string): void => {
  if (kind !== 'ACCESS') return;
  const roles = READ_ROLES.tokenRevocations;
  if (!ctx.principal || !hasRole(ctx.principal, ...roles)) throw forbidden(`a person's access history needs one of the roles ${roles.join(', ')}`);
};

/**
 * Whether the caller's read scope (src/auth/scope.ts) holds this stream, by
 * the thing's place as its own events say (folded from the store, as the
 * audit queries read everything). A stream outside it answers as a stream
 * with no events, so asking does not tell whether it exists: the same rule as
 * every read model. A person's access history is `mayAudit`'s; the national
 * register of national IDs belongs to no place and is the nation's.
 */
export const auditable = async (ctx: TashilContext, stream: string): Promise<boolean> => {
  const scope = ctx.readModels.scope;
  if (scope.kind === 'NATION') return true;
  const dash = stream.indexOf('-');
  const category = stream.slice(0, dash);
  const id = stream.slice(dash + 1);
  if (category === accessDecider.category) return true;
  const decider = DECIDERS_BY_CATEGORY.get(category);
  if (dash < 0 || decider === undefined || !(category in KIND_OF_CATEGORY)) return false;
  const { state } = await loadAggregate(ctx.store, decider, id);
  const place = await placeOf(ctx.store, category, state);
  if (place === null) return false;
  const obstacleId = (state as { obstacleId?: string | null }).obstacleId ?? null;
  return admits(scope, KIND_OF_CATEGORY[category]!, { ...place, id, obstacleId });
};

/**
 * Stream categories that are things with a place, and the kind of row each is
 * audited as. A workgroup's stream holds the session numbers of all its
 * meetings, wherever they sat: it is audited as a meeting is (its own place,
 * not the places it serves), so a county user does not read a provincial
 * body's meetings in other counties through it.
 */
const KIND_OF_CATEGORY: Record<string, RowKind> = {
  unit: 'unit',
  obstacle: 'obstacle',
  meeting: 'meeting',
  resolution: 'resolution',
  visit: 'visit',
  commitment: 'commitment',
  agency: 'agency',
  workgroup: 'meeting',
  zone: 'zone',
};
