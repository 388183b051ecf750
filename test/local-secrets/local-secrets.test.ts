/**
 * Contract of the local Secrets Manager: GetSecretValue over the service's wire protocol, through the
 * AWS SDK, answered as the API reference (GetSecretValue) describes; and the functions' reader
 * (Powertools Parameters) reading through it once per cold start.
 */
import { execFileSync } from 'node:child_process';
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientSecretFrom, secretHash, sealingKey } from '../../functions/runtime/client-secret';
import { readConfig } from '../../functions/runtime/config';
import { startLocalSecrets, type LocalSecrets } from '../../local/secrets';

let secrets: LocalSecrets;
let client: SecretsManagerClient;

beforeAll(async () => {
  // The SDK's default credential chain, as on Lambda; the local service ignores the keys.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  secrets = await startLocalSecrets({ secrets: { 'app-client': 's3cr3t-value' }, region: 'us-east-1' });
  client = new SecretsManagerClient({
    endpoint: secrets.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  client.destroy();
  await secrets.close();
});

const expectError = async (promise: Promise<unknown>, name: string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { name: string },
  );
  expect(error?.name).toBe(name);
};

describe('GetSecretValue', () => {
  it('returns the secret by name and by ARN, with its version stage', async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'app-client' }));
    expect(byName.SecretString).toBe('s3cr3t-value');
    expect(byName.Name).toBe('app-client');
    expect(byName.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:app-client-.{6}$/);
    expect(byName.VersionStages).toEqual(['AWSCURRENT']);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
    expect(byArn.SecretString).toBe('s3cr3t-value');
  });

  it('answers ResourceNotFoundException for a secret that does not exist', async () => {
    await expectError(
      client.send(new GetSecretValueCommand({ SecretId: 'nope' })),
      'ResourceNotFoundException',
    );
  });

  it('refuses the operations it does not serve instead of pretending to', async () => {
    await expectError(client.send(new ListSecretsCommand({})), 'UnknownOperationException');
  });
});

describe("the functions' reader", () => {
  const env = (extra: Record<string, string>) =>
    readConfig({
      USER_POOL_ID: 'us-east-1_abcdefghi',
      USER_POOL_CLIENT_ID: 'client',
      AWS_REGION: 'us-east-1',
      MFA_BUCKET: 'bucket',
      MFA_ISSUER: 'Issuer',
      QR_URL_TTL_SECONDS: '300',
      ADMIN_GROUP: 'admins',
      ENROLMENT_SESSION_SECONDS: '600',
      PASSWORD_POLICY: JSON.stringify({
        minLength: 15,
        requireLowercase: false,
        requireUppercase: false,
        requireDigits: false,
        requireSymbols: false,
      }),
      ...extra,
    });

  it('reads the client secret through Secrets Manager, by the id the environment names', async () => {
    const reader = clientSecretFrom(
      env({ CLIENT_SECRET_ID: 'app-client', SECRETS_ENDPOINT: secrets.endpoint }),
    );
    expect(await reader.value()).toBe('s3cr3t-value');
  });

  it('has no secret for a public client, and fails loudly for a secret id that does not exist', async () => {
    expect(await clientSecretFrom(env({})).value()).toBeUndefined();
    const missing = clientSecretFrom(env({ CLIENT_SECRET_ID: 'nope', SECRETS_ENDPOINT: secrets.endpoint }));
    await expect(missing.value()).rejects.toThrow();
  });
});

describe('SECRET_HASH', () => {
  it('is the Base64 HMAC-SHA256 of user name + client id keyed with the secret, as openssl computes it', () => {
    const expected = execFileSync('openssl', ['dgst', '-sha256', '-hmac', 'the-secret', '-binary'], {
      input: 'jane@example.comclient123',
    }).toString('base64');
    expect(secretHash('the-secret', 'jane@example.com', 'client123')).toBe(expected);
  });

  it('derives a 256-bit sealing key that differs from the secret and between secrets', () => {
    const a = sealingKey('secret-a');
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).toString('hex')).not.toBe(Buffer.from(sealingKey('secret-b')).toString('hex'));
    expect(Buffer.from(a).toString('utf8')).not.toContain('secret-a');
  });
});
