import { describe, expect, it } from 'vitest';
import { readConfig } from '../../functions/runtime/config';
import { deliveryTo, maskEmail } from '../../functions/domain/delivery';
import { otpauthUri } from '../../functions/domain/authenticator';
import { mapAwsError } from '../../functions/runtime/errors';
import { describePolicy, meetsPolicy } from '../../functions/domain/password-policy';
import { LEGACY_PASSWORD_POLICY, NIST_PASSWORD_POLICY } from '../../infra/settings';

const aws = (name: string, message = 'raw AWS text with input@example.com') =>
  Object.assign(new Error(message), { name });

describe('mapping AWS exceptions to the catalogue', () => {
  const context = { notAuthorized: 'Incorrect e-mail or password.', policy: NIST_PASSWORD_POLICY };

  it.each([
    ['NotAuthorizedException', 'NOT_AUTHORIZED'],
    ['UserNotFoundException', 'NOT_AUTHORIZED'],
    ['UserNotConfirmedException', 'NOT_AUTHORIZED'],
    ['InvalidPasswordException', 'INVALID_PASSWORD'],
    ['CodeMismatchException', 'CODE_MISMATCH'],
    ['EnableSoftwareTokenMFAException', 'CODE_MISMATCH'],
    ['ExpiredCodeException', 'SESSION_EXPIRED'],
    ['TooManyRequestsException', 'TOO_MANY_REQUESTS'],
    ['LimitExceededException', 'TOO_MANY_REQUESTS'],
    ['InvalidParameterException', 'BAD_USER_INPUT'],
  ])('maps %s to %s without the AWS text', (name, type) => {
    const failure = mapAwsError(aws(name), context)!;
    expect(failure.type).toBe(type);
    expect(failure.message).not.toContain('raw AWS text');
    expect(failure.message).not.toContain('input@example.com');
  });

  it('hides unknown users behind the wrong-password message (no enumeration)', () => {
    expect(mapAwsError(aws('UserNotFoundException'), context)!.message).toBe(
      mapAwsError(aws('NotAuthorizedException', 'Incorrect username or password.'), context)!.message,
    );
  });

  it('treats an invalid challenge session as SESSION_EXPIRED, not as wrong credentials', () => {
    expect(mapAwsError(aws('NotAuthorizedException', 'Invalid session for the user.'), context)!.type).toBe(
      'SESSION_EXPIRED',
    );
  });

  it('leaves unknown exceptions to the INTERNAL path', () => {
    expect(mapAwsError(aws('InternalErrorException'), context)).toBeUndefined();
  });
});

describe('password policy', () => {
  it('follows NIST by default: length, no composition rules, passphrases welcome', () => {
    expect(meetsPolicy('correct horse battery staple', NIST_PASSWORD_POLICY)).toBe(true);
    expect(meetsPolicy('fourteen chars', NIST_PASSWORD_POLICY)).toBe(false);
    expect(describePolicy(NIST_PASSWORD_POLICY)).toBe(
      'The new password must have at least 15 characters (up to 256; a passphrase is welcome).',
    );
  });

  it('keeps the original project policy one setting away', () => {
    expect(meetsPolicy('correct horse battery staple', LEGACY_PASSWORD_POLICY)).toBe(false);
    expect(meetsPolicy('Correct-Horse-7-Battery', LEGACY_PASSWORD_POLICY)).toBe(true);
    expect(describePolicy(LEGACY_PASSWORD_POLICY)).toMatch(
      /at least 14 characters .* including a lowercase letter, an uppercase letter, a digit and a symbol\.$/,
    );
  });
});

describe('otpauth URI', () => {
  it('follows the Key URI Format with an encoded label and issuer', () => {
    expect(otpauthUri('Acme Auth', 'jane+tag@example.com', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Acme%20Auth:jane%2Btag%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Auth&algorithm=SHA1&digits=6&period=30',
    );
  });
});

describe('function configuration', () => {
  it('fails at start naming the missing settings, and never echoes values', () => {
    expect(() => readConfig({ USER_POOL_ID: 'secret-looking-value' })).toThrow(
      /USER_POOL_CLIENT_ID.*MFA_BUCKET/,
    );
    expect(() => readConfig({ USER_POOL_ID: 'secret-looking-value' })).not.toThrow(/secret-looking-value/);
  });
});

describe('delivery answers', () => {
  it('mask the address as Cognito does, from the typed e-mail alone', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@e***');
    expect(deliveryTo('x@y.org')).toEqual({ destination: 'x***@y***', medium: 'EMAIL' });
  });
});
