import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { TashilContext } from '../graphql/context';
import { hasRole, type Role } from './principal';

/**
 * type-graphql's guard for `@Authorized(...)`: no principal is
 * UNAUTHENTICATED, a principal without one of the roles is FORBIDDEN.
 */
export const authChecker: AuthChecker<TashilContext, Role> = ({ context }, roles) => {
  if (!context.principal) {
    throw new GraphQLError('sign in first: send `Authorization: Bearer <token>`', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  if (roles.length === 0 || hasRole(context.principal, ...roles)) return true;
  throw new GraphQLError(`this needs one of the roles ${roles.join(', ')}`, { extensions: { code: 'FORBIDDEN' } });
};
