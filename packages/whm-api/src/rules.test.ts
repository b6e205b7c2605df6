import { describe, expect, it } from 'vitest';
import { catalogue } from './catalogue.js';
import {
  featureAvailable,
  formatOtpauthUri,
  ISSUER_PATTERN,
  normalizeIssuer,
  reasonMatches,
  stripXid,
  WHM_ISSUER_PATTERN,
  whmReasons,
} from './rules.js';

describe('WHM rules', () => {
  it.each([
    [`"Acme"`, 'Acme'],
    [`'Acme'`, 'Acme'],
    [`''Acme''`, `'Acme'`],
    [`"Acme'`, 'Acme'],
    ['Acme', 'Acme'],
    [`""`, ''],
  ])('when the issuer is %s, then one quote each side is stripped: %s', (raw, normalized) => {
    expect(normalizeIssuer(raw)).toBe(normalized);
  });

  it('when issuers are checked, then 1 to 32 of the allowed characters pass', () => {
    expect(ISSUER_PATTERN.test('Acme Hosting_1.0-x')).toBe(true);
    expect(ISSUER_PATTERN.test('a'.repeat(32))).toBe(true);
    expect(ISSUER_PATTERN.test('a'.repeat(33))).toBe(false);
    expect(ISSUER_PATTERN.test('Acme:1')).toBe(false);
    expect(ISSUER_PATTERN.test('')).toBe(false);
  });

  it('when the catalogue parses an issuer, then empty resets and invalid is refused', () => {
    const params = catalogue.twofactorauth_set_issuer.params;
    expect(params.parse({ issuer: `"Acme"` })).toEqual({ issuer: 'Acme' });
    expect(params.parse({ issuer: '' })).toEqual({ issuer: '' });
    expect(params.safeParse({ issuer: 'x'.repeat(33) }).success).toBe(false);
  });

  it('when an otpauth URI is formatted, then issuer and user are URI-encoded with no extras', () => {
    expect(formatOtpauthUri('Acme Hosting', 'root', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Acme%20Hosting:root?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Hosting',
    );
  });

  it('when reasons name a user, then they use WHM’s curly quotes', () => {
    expect(whmReasons.noAccess('bob')).toBe('You do not have access to an account named “bob”.');
    expect(whmReasons.unknownFunction('nope')).toBe(
      'Unknown app (nope) requested for this version (1) of the API.',
    );
  });

  it('when a reason carries XIDs, then stripXid removes each and reasonMatches compares the rest', () => {
    const reason =
      'You are not authorized to modify “bob”: (XID 7bq3kz) You do not have a user named “bob”.';
    expect(stripXid(reason)).toBe(
      'You are not authorized to modify “bob”: You do not have a user named “bob”.',
    );
    expect(stripXid('(XID abcdef) x (XID 234567) y')).toBe('x y');
    // i, l, o, 0 and 1 are never in an XID: such a text is not one.
    expect(stripXid('(XID abcdei) x')).toBe('(XID abcdei) x');
    expect(reasonMatches(reason, whmReasons.userNotFound('bob'))).toBe(true);
    expect(reasonMatches(reason, whmReasons.notAuthorizedToModify('bob'))).toBe(true);
    expect(reasonMatches(reason, whmReasons.noAccess('bob'))).toBe(false);
    expect(reasonMatches(undefined, 'x')).toBe(false);
    expect(reasonMatches(reason, '')).toBe(false);
  });

  it('when an issuer ends in a quote before a final newline, then the quote goes as in Perl', () => {
    expect(normalizeIssuer('"Acme"\n')).toBe('Acme\n');
    expect(normalizeIssuer(`''`)).toBe('');
    expect(WHM_ISSUER_PATTERN.test(`${'b'.repeat(32)}\n`)).toBe(true);
    expect(WHM_ISSUER_PATTERN.test('Acme\n\n')).toBe(false);
    expect(ISSUER_PATTERN.test('Acme\n')).toBe(false);
  });
});

describe('featureAvailable', () => {
  it('when the list says 1 and disabled does not name it, then it is available; otherwise not', () => {
    expect(featureAvailable({ is_disabled: 0, value: '1' })).toBe(true);
    expect(featureAvailable({ is_disabled: 0, value: 1 })).toBe(true);
    expect(featureAvailable({ is_disabled: 0, value: '0' })).toBe(false);
    expect(featureAvailable({ is_disabled: 1, value: '1' })).toBe(false);
    expect(featureAvailable(undefined)).toBe(true);
  });
});
