/**
 * Audit access is itself sensitive: whoever reads a case's history, its state
 * on a date or the integrity report leaves a structured log line saying so.
 */
import type { TashilContext } from './context';

export type AuditQuery = 'auditTrail' | 'replay' | 'stateAsOf' | 'verifyIntegrity' | 'causedBy';

/** One `audit access` line: who, which query, on what, in which request; plus the query's own arguments. */
export const logAuditAccess = (
  ctx: TashilContext,
  query: AuditQuery,
  target: { kind?: string | null; id?: string | null } & Record<string, unknown>,
): void => {
  const { kind = null, id = null, ...args } = target;
  ctx.log('audit access', {
    actor: ctx.principal?.subject ?? null,
    roles: ctx.principal?.roles ?? [],
    query,
    kind,
    id,
    requestId: ctx.requestId,
    ...(Object.keys(args).length > 0 ? { args } : {}),
  });
};
