/**
 * Secrets the functions hold: read from Secrets Manager once per cold start (Powertools Parameters),
 * never from a plain environment variable (which carries only the secret's id), and never logged.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from './config';

export interface StoredSecret {
  /** The secret's value, or undefined when this function was given none. */
  value(): Promise<string | undefined>;
}

/** Kept for the life of the execution environment: a rotated secret arrives with the next cold start. */
const FOR_THE_LIFE_OF_THE_PROCESS = Number.MAX_SAFE_INTEGER;

/** The secret with this Secrets Manager id (undefined: none), read on first use. */
export function storedSecret(config: Config, id: string | undefined, label: string): StoredSecret {
  if (!id) return { value: () => Promise.resolve(undefined) };
  let provider: SecretsProvider | undefined;
  let pending: Promise<string> | undefined;
  return {
    value() {
      provider ??= new SecretsProvider({
        awsSdkV3Client: new SecretsManagerClient({
          region: config.region,
          ...(config.secretsEndpoint ? { endpoint: config.secretsEndpoint } : {}),
        }),
      });
      pending ??= provider.get(id, { maxAge: FOR_THE_LIFE_OF_THE_PROCESS }).then((secret) => {
        if (typeof secret !== 'string' || secret.length === 0) throw new Error(`${label} is empty`);
        return secret;
      });
      // A failed read is not cached: the next request tries again.
      pending.catch(() => (pending = undefined));
      return pending;
    },
  };
}
