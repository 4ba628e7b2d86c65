import { accessDecider, type RevokeTokens, type TokensRevoked } from '../../src/domain/access';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(accessDecider);

const revokeAll = (revokedAt: string): RevokeTokens => ({
  type: 'RevokeTokens',
  data: { subject: 'dabir-pakdasht', tokenId: null, reason: 'left the county secretariat', revokedAt },
});
const revokeOne = (tokenId: string): RevokeTokens => ({
  type: 'RevokeTokens',
  data: { subject: 'dabir-pakdasht', tokenId, reason: 'token pasted into a chat', revokedAt: '2026-11-20T09:00:00.000Z' },
});
const revoked = (command: RevokeTokens): TokensRevoked => ({ type: 'TokensRevoked', data: { ...command.data } });

describe('access decider', () => {
  describe('when nothing was revoked', () => {
    it('has every token good', () => {
      given([]).thenState({ revokedThrough: null, tokenIds: [] });
    });

    it('revokes every token of the subject issued up to now', () => {
      given([]).when(revokeAll('2026-11-20T08:00:00.000Z')).then([revoked(revokeAll('2026-11-20T08:00:00.000Z'))]);
    });

    it('revokes one token by its id', () => {
      given([]).when(revokeOne('jti-1')).then([revoked(revokeOne('jti-1'))]);
    });
  });

  describe('when tokens were revoked', () => {
    const history = [revoked(revokeAll('2026-11-20T08:00:00.000Z')), revoked(revokeOne('jti-1'))];

    it('remembers the moment and the ids', () => {
      given(history).thenState({ revokedThrough: '2026-11-20T08:00:00.000Z', tokenIds: ['jti-1'] });
    });

    it('records nothing when the same token is revoked again: it already is', () => {
      given(history).when(revokeOne('jti-1')).thenNothingHappened();
    });

    it('revokes another token', () => {
      given(history).when(revokeOne('jti-2')).then([revoked(revokeOne('jti-2'))]);
    });

    it('revokes every token again, later: the ones issued since the last time', () => {
      given(history).when(revokeAll('2026-11-21T08:00:00.000Z')).then([revoked(revokeAll('2026-11-21T08:00:00.000Z'))]);
      given([...history, revoked(revokeAll('2026-11-21T08:00:00.000Z'))]).thenState({ revokedThrough: '2026-11-21T08:00:00.000Z', tokenIds: ['jti-1'] });
    });
  });

  it('decides without touching its inputs', () => {
    expectDecideIsPure(accessDecider, [revoked(revokeOne('jti-1'))], revokeOne('jti-2'));
  });
});
