/**
 * RFC 6238 time-based one-time passwords as Cognito checks them: SHA-1, 6 digits, 30-second steps,
 * one step of clock skew either way, and a code accepted once per user (a later code must come from a
 * later time step than the last one accepted, RFC 6238 section 5.2).
 */
import { generateSecret, verifySync } from 'otplib';

const PERIOD_SECONDS = 30;

/** 20 random bytes, base32: 32 characters, the length of Cognito's SecretCode. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'mismatch' | 'reused' };

export function checkTotp(secret: string, code: unknown, nowMs: number, lastUsedStep?: number): TotpCheck {
  if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) return { ok: false, reason: 'mismatch' };
  let result;
  try {
    result = verifySync({
      secret,
      token: code,
      algorithm: 'sha1',
      digits: 6,
      period: PERIOD_SECONDS,
      epoch: Math.floor(nowMs / 1000),
      epochTolerance: PERIOD_SECONDS,
    });
  } catch {
    return { ok: false, reason: 'mismatch' };
  }
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'mismatch' };
  if (lastUsedStep !== undefined && result.timeStep <= lastUsedStep) return { ok: false, reason: 'reused' };
  return { ok: true, step: result.timeStep };
}
