/**
 * Audit access is itself sensitive: whoever reads a case's history, its state
 * on a date or the integrity report leaves a structured log line saying so.
 */
import { forbidden, READ_ROLES } from '../auth/policy';
import { hasRole } from '../auth/principal';
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
