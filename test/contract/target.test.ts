/**
 * The contract target's switch, AWS's clock, and the preflight that stops a run with no AWS
 * credentials before anything is created. No call leaves the machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { msUntilTotpStep, RealClock } from '../local-cognito/harness';
import { awsPreflight } from './aws-env';
import { localOnly, onAws, parseContractTarget } from './target';

describe('CONTRACT_TARGET', () => {
  it('is local when unset or empty, and aws when asked', () => {
    expect(parseContractTarget(undefined)).toBe('local');
    expect(parseContractTarget('')).toBe('local');
    expect(parseContractTarget('local')).toBe('local');
    expect(parseContractTarget('aws')).toBe('aws');
  });

  it('refuses anything else, naming the two targets', () => {
    for (const value of ['AWS', 'prod', 'localstack']) {
      expect(() => parseContractTarget(value)).toThrow(
        `CONTRACT_TARGET="${value}" is not a contract target: use "local"`,
      );
    }
    expect(() => parseContractTarget('prod')).toThrow(
      /"aws" \(throw-away resources in your own AWS account\)/,
    );
  });

  it.skipIf(onAws)('runs every test on the local target: localOnly gives back it', () => {
    expect(localOnly('any reason')).toBe(it);
  });
});

describe("AWS's clock", () => {
  it('refuses to move, naming localOnly', () => {
    expect(() => new RealClock().advance(30_000)).toThrow("cannot move AWS's clock");
    expect(() => new RealClock().advance(30_000)).toThrow('localOnly');
  });

  it('reads the real time', () => {
    const clock = new RealClock();
    expect(Math.abs(clock.ms - Date.now())).toBeLessThan(1_000);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1_000);
  });

  it('waits for ten seconds into the next TOTP step, or the one steps later', () => {
    const step = 1_000_000 * 30_000;
    expect(msUntilTotpStep(step + 5_000)).toBe(35_000);
    expect(msUntilTotpStep(step + 25_000)).toBe(15_000);
    expect(msUntilTotpStep(step + 10_000)).toBe(30_000);
    expect(msUntilTotpStep(step + 5_000, 3)).toBe(95_000);
  });
});

describe('the AWS preflight', () => {
  it('fails within seconds, naming the missing credentials and region, when the SDK finds none', async () => {
    // An environment where the SDK's default chains find nothing: no AWS_* variables, config and
    // credentials files that do not exist, and no instance metadata lookup (nothing leaves the machine).
    const saved = { ...process.env };
    const empty = await mkdtemp(join(tmpdir(), 'contract-no-aws-'));
    try {
      for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
      process.env.AWS_CONFIG_FILE = join(empty, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(empty, 'credentials');
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      const started = Date.now();
      const failure = await awsPreflight().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(failure?.message).toMatch(
        /^CONTRACT_TARGET=aws runs the contract tests against throw-away resources/,
      );
      expect(failure?.message).toContain("no AWS credentials: the SDK's default credential chain found none");
      expect(failure?.message).toContain('no AWS region: set AWS_REGION');
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      await rm(empty, { recursive: true, force: true });
    }
  });
});
