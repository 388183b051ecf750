/**
 * The key recovery codes are hashed with (HMAC-SHA256, functions/domain/recovery-codes.ts): a secret
 * Secrets Manager generates, readable by the two functions that issue or check codes and by no one
 * else. Whoever can read the MFA bucket then still cannot test guesses against the stored hashes.
 */
import { type RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ENV } from '../functions/runtime/config';
import { recoveryKeyNameOf, type Settings } from './settings';

export function addRecoveryKey(stack: Stack, settings: Settings, removalPolicy: RemovalPolicy): Secret {
  const secret = new Secret(stack, 'RecoveryCodeKey', {
    secretName: recoveryKeyNameOf(settings),
    description: `${settings.name}: the key recovery codes are hashed with`,
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
    // Losing the key makes every issued recovery code useless: kept with the data it protects.
    removalPolicy,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotating the recovery-code key would invalidate every recovery code already issued (only their ' +
      'keyed hashes are stored); it is read by two functions and never leaves them.',
  });
  return secret;
}

/** Gives a function the key's id and read access to that secret only. */
export function grantRecoveryKey(fn: LambdaFunction, secret: Secret): void {
  fn.addEnvironment(ENV.recoveryKeyId, secret.secretArn);
  secret.grantRead(fn);
}
