/**
 * Input rules shared by the operations. Sizes are bounded everywhere: no field accepts megabytes.
 * E-mails are trimmed and lower-cased, as the pool treats them case-insensitively.
 *
 * zod/mini with zod's English messages: the same rules and the same messages as zod's chained API,
 * in about a quarter of its bundle size (every function carries these).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { MAX_PASSWORD_LENGTH } from '../domain/password-policy';

z.config(en());

/**
 * Characters nobody types into an e-mail address on purpose, each of which would make a separate
 * account that looks like another: controls (NUL, …), format characters (zero-width spaces and
 * joiners, bidi overrides, the BOM), private-use and unassigned code points, and the invisible
 * separators and fillers Unicode lists as whitespace or default-ignorable.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * An e-mail address, one spelling per address: Unicode NFC (so a composed and a decomposed "é" are
 * one account), lower case (the pool treats case as one), and no invisible characters.
 */
export const email = z.pipe(
  z.pipe(
    z
      .pipe(
        z.string().check(z.trim(), z.maxLength(254)),
        z.transform((s: string) => s.normalize('NFC')),
      )
      .check(z.refine((s) => !INVISIBLE.test(s), 'no control, format or invisible characters')),
    z.string().check(z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address')),
  ),
  z.transform((s: string) => s.toLowerCase()),
);

/** A password being checked: any content, bounded. */
export const password = z.string().check(z.minLength(1), z.maxLength(MAX_PASSWORD_LENGTH));

export const fullName = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(256),
  z.refine((s) => !/\p{Cc}/u.test(s), 'no control characters'),
);

/** E.164: + and up to 15 digits. */
export const phoneNumber = z
  .string()
  .check(z.trim(), z.regex(/^\+[1-9]\d{1,14}$/, 'an E.164 number such as +447700900123'));

export const otp = z.string().check(z.trim(), z.regex(/^\d{6}$/, 'six digits'));

/**
 * Cognito challenge sessions are opaque and about a kilobyte (at most 2,048 characters); login adds a
 * 44-character tag binding one to its e-mail (domain/challenge-session.ts).
 */
export const session = z.string().check(z.minLength(16), z.maxLength(4096));

/**
 * The API's sealed enrolment sessions carry an access and a refresh token: about 4 KB with tokens of
 * real Cognito's size (a refresh token is a JWE of about 1.8 KB), more with many groups.
 */
export const enrolmentSession = z.string().check(z.minLength(16), z.maxLength(16_384));

export const refreshToken = z.string().check(z.minLength(16), z.maxLength(8192));

/** Recovery codes as issued (XXXXX-XXXXX, base32); spaces, dashes and case are forgiven. */
export const recoveryCode = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(64)),
    z.transform((s: string) => s.replace(/[\s-]/g, '').toUpperCase()),
  ),
  z.string().check(z.regex(/^[A-Z2-7]{10}$/, 'a recovery code such as ABCDE-FGHJK')),
);

/** Cognito's e-mailed verification and reset codes: six digits (spaces forgiven). */
export const verificationCode = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(64)),
    z.transform((s: string) => s.replace(/\s/g, '')),
  ),
  z.string().check(z.regex(/^\d{6}$/, 'the six-digit code from the e-mail')),
);
