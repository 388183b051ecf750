/**
 * The caller's AWS account, as the SDK finds it: the region from AWS_REGION (or the profile), the
 * credentials from the SDK's default chain (environment variables, AWS_PROFILE and the shared
 * files, SSO, web identity, container or instance roles). Nothing here is configured by the project.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/**
 * Where provisioning sends its calls instead of AWS: a local stand-in's URL, used only by
 * test/contract/provisioning.test.ts to prove the provisioning and clean-up code without an account.
 */
export interface EndpointOverride {
  readonly url: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** How long finding the region and credentials may take before the run stops with an error. */
const PREFLIGHT_MS = 20_000;

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} after ${PREFLIGHT_MS / 1000} s`)), PREFLIGHT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const reason = (result: PromiseSettledResult<unknown>) =>
  result.status === 'rejected'
    ? result.reason instanceof Error
      ? result.reason.message
      : String(result.reason)
    : '';

/**
 * Checks, before anything is created, that the SDK finds a region and credentials; fails within
 * PREFLIGHT_MS with one message naming what is missing. Makes no call to AWS.
 */
export async function awsPreflight(
  purpose = 'CONTRACT_TARGET=aws runs the contract tests against throw-away resources in your own AWS account',
  hint = 'Unset CONTRACT_TARGET (or set it to "local") to run them against the local stand-ins.',
): Promise<{ region: string }> {
  const probe = new CognitoIdentityProviderClient({});
  try {
    const [region, credentials] = await Promise.allSettled([
      bounded(probe.config.region(), 'region'),
      bounded(probe.config.credentials(), 'credentials'),
    ]);
    const problems: string[] = [];
    if (credentials.status === 'rejected') {
      problems.push(
        "no AWS credentials: the SDK's default credential chain found none (AWS_ACCESS_KEY_ID and " +
          `AWS_SECRET_ACCESS_KEY, AWS_PROFILE with the shared config files, SSO, a role): ${reason(credentials)}`,
      );
    }
    if (region.status === 'rejected' || !region.value) {
      problems.push(`no AWS region: set AWS_REGION (or a region in your profile): ${reason(region)}`);
    }
    if (problems.length > 0 || region.status !== 'fulfilled') {
      throw new Error(`${purpose}, with your credentials:\n  - ${problems.join('\n  - ')}\n${hint}`);
    }
    return { region: region.value };
  } finally {
    probe.destroy();
  }
}

/** SDK client settings: the default chains, or the override's endpoint, region and credentials. */
export function clientSettings(override: EndpointOverride | undefined, region?: string) {
  if (override) {
    return {
      endpoint: override.url,
      region: override.region,
      credentials: { ...override.credentials },
    };
  }
  // Control-plane calls (CreateUserPool, CreateBucket...) have low rates; test files run in parallel.
  return { ...(region ? { region } : {}), maxAttempts: 6 };
}
