import { RevocationList } from '../../src/auth/revocations';

const at = (iso: string): number => Date.parse(iso) / 1000;
const all = (subject: string, revokedAt: string) => ({ subject, tokenId: null, reason: 'ترک خدمت', revokedAt });

describe('the revocation list', () => {
  it('refuses tokens issued at or before a "every token" revocation, to the second, and accepts later ones', () => {
    const list = new RevocationList();
    list.apply(all('dabir', '2026-11-20T08:00:00.400Z'));
    expect(list.isRevoked({ subject: 'dabir', issuedAt: at('2026-11-20T07:59:59Z'), tokenId: undefined })).toBe(true);
    // `iat` has whole seconds: a token of the same second may have been issued before the revocation.
    expect(list.isRevoked({ subject: 'dabir', issuedAt: at('2026-11-20T08:00:00Z'), tokenId: undefined })).toBe(true);
    expect(list.isRevoked({ subject: 'dabir', issuedAt: at('2026-11-20T08:00:01Z'), tokenId: undefined })).toBe(false);
    expect(list.isRevoked({ subject: 'someone-else', issuedAt: at('2026-11-20T07:00:00Z'), tokenId: undefined })).toBe(false);
  });

  it('refuses a token without iat once every token of its subject was revoked: it cannot show it is newer', () => {
    const list = new RevocationList();
    expect(list.isRevoked({ subject: 'dabir', issuedAt: undefined, tokenId: undefined })).toBe(false);
    list.apply(all('dabir', '2026-11-20T08:00:00Z'));
    expect(list.isRevoked({ subject: 'dabir', issuedAt: undefined, tokenId: undefined })).toBe(true);
  });

  it('refuses one token by its id, whenever it was issued, and only it', () => {
    const list = new RevocationList();
    list.apply({ subject: 'dabir', tokenId: 'jti-1', reason: 'leaked', revokedAt: '2026-11-20T08:00:00Z' });
    expect(list.isRevoked({ subject: 'dabir', issuedAt: at('2026-12-01T00:00:00Z'), tokenId: 'jti-1' })).toBe(true);
    expect(list.isRevoked({ subject: 'dabir', issuedAt: at('2026-11-01T00:00:00Z'), tokenId: 'jti-2' })).toBe(false);
    // The id belongs to its subject: another subject's token with the same id is not this one.
    expect(list.isRevoked({ subject: 'other', issuedAt: at('2026-11-01T00:00:00Z'), tokenId: 'jti-1' })).toBe(false);
  });

  it('keeps the latest "every token" moment whatever order revocations arrive in, and tells listeners each time', () => {
    const list = new RevocationList();
    const told: string[] = [];
    list.onRevoked((subject) => told.push(subject));
    list.apply(all('dabir', '2026-11-21T08:00:00Z'));
    list.apply(all('dabir', '2026-11-20T08:00:00Z'));
    expect(list.isRevoked({ subject: 'dabir', issuedAt: at('2026-11-20T12:00:00Z'), tokenId: undefined })).toBe(true);
    expect(told).toEqual(['dabir', 'dabir']);
  });
});
