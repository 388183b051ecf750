/**
 * The road clients take: the whole local stack on free loopback ports, and Apollo Client with the
 * typed documents that `npm run codegen` generates. One stack per test file (the functions read their
 * configuration from the process environment, as on Lambda).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApolloClient,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  type OperationVariables,
  type TypedDocumentNode,
} from '@apollo/client';
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { generateSync } from 'otplib';
import { expect } from 'vitest';
import type { ErrorType } from '../../schema/errors';
import { localS3ClientConfig } from '../../local/s3';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  LoginDocument,
  VerifyMfaDocument,
} from '../generated/graphql';

export interface AppSyncError {
  message: string;
  errorType: string | null;
  path: readonly (string | number)[] | null;
  errorInfo?: unknown;
  locations?: unknown;
}

export interface Answer<T> {
  data: T | null | undefined;
  errors: AppSyncError[];
}

export interface Api {
  stack: LocalStack;
  /** Moves the local Cognito's clock (TOTP steps, session expiry) without waiting. */
  advance(ms: number): void;
  now(): number;
  /** A TOTP code for the current (moved) time, as an authenticator app would show it. */
  totp(secret: string): string;
  /** Calls the API with the API key (the default) or with an access token. */
  call<TData, TVars extends OperationVariables>(
    document: TypedDocumentNode<TData, TVars>,
    variables?: TVars,
    auth?: { accessToken: string } | { apiKey: string } | Record<string, never>,
  ): Promise<Answer<TData>>;
  /** The temporary password or code of the newest message to `to`. */
  latestCode(to: string): string;
  close(): Promise<void>;
}

export async function startApi(options: Partial<LocalStackOptions> = {}): Promise<Api> {
  const ownState = !options.stateDir;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'auth-api-'));
  let offset = 0;
  const now = () => Date.now() + offset;
  const stack = await startLocalStack({
    stateDir,
    log: () => undefined,
    now,
    functionLogLevel: 'SILENT',
    ...options,
  });
  const clients = new Map<string, ApolloClient>();
  const clientFor = (headers: Record<string, string>): ApolloClient => {
    const key = JSON.stringify(headers);
    let client = clients.get(key);
    if (!client) {
      client = new ApolloClient({
        link: new HttpLink({ uri: stack.outputs.graphqlUrl, headers }),
        cache: new InMemoryCache(),
      });
      clients.set(key, client);
    }
    return client;
  };

  return {
    stack,
    advance: (ms) => {
      offset += ms;
    },
    now,
    totp: (secret) => generateSync({ secret, epoch: Math.floor(now() / 1000) }),
    async call(document, variables, auth = {}) {
      const headers: Record<string, string> =
        'accessToken' in auth
          ? { authorization: auth.accessToken }
          : { 'x-api-key': 'apiKey' in auth ? auth.apiKey : stack.outputs.apiKey };
      const client = clientFor(headers);
      const isQuery = document.definitions.some(
        (d) => d.kind === 'OperationDefinition' && d.operation === 'query',
      );
      const result = isQuery
        ? await client.query({
            query: document,
            variables: variables as never,
            fetchPolicy: 'no-cache',
            errorPolicy: 'all',
          })
        : await client.mutate({
            mutation: document,
            variables: variables as never,
            fetchPolicy: 'no-cache',
            errorPolicy: 'all',
          });
      const error = result.error;
      const errors = CombinedGraphQLErrors.is(error) ? (error.errors as unknown as AppSyncError[]) : [];
      if (error && !CombinedGraphQLErrors.is(error)) throw error;
      return { data: result.data as never, errors };
    },
    latestCode(to) {
      const messages = stack.mailbox.messages({ to });
      const last = messages[messages.length - 1];
      if (!last) throw new Error(`no message to ${to}`);
      return last.code;
    },
    async close() {
      for (const c of clients.values()) c.stop();
      await stack.close();
      if (ownState) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Asserts a refused field: null data, one catalogue error, and nothing secret or AWS-internal in it. */
export function expectRefused<T>(
  answer: Answer<T>,
  type: ErrorType,
  field: string,
  secrets: string[] = [],
): AppSyncError {
  expect(answer.errors).toHaveLength(1);
  const error = answer.errors[0]!;
  expect({ errorType: error.errorType, path: error.path }).toEqual({ errorType: type, path: [field] });
  expectNoLeak(JSON.stringify(answer), secrets);
  return error;
}

/** Raw AWS wording, exception names, stack traces and the given secrets must never reach a client. */
export function expectNoLeak(text: string, secrets: string[] = []): void {
  for (const marker of [
    'Exception',
    'cognito-idp',
    'amazonaws',
    'at async',
    'stack',
    'Error:',
    'Lambda:Unhandled',
  ]) {
    expect(text).not.toContain(marker);
  }
  for (const secret of secrets.filter((s) => s.length >= 6)) expect(text).not.toContain(secret);
}

export const PASSWORD = 'correct horse battery staple';
let serial = 0;
export const uniqueEmail = (label = 'user'): string => `${label}.${process.pid}.${++serial}@example.com`;

export interface EnrolledUser {
  email: string;
  password: string;
  secret: string;
  recoveryCodes: string[];
  tokens: { accessToken: string; idToken: string; refreshToken: string };
}

/** create → temporary password from the mailbox → confirm → TOTP from the secret → confirmMfa. */
export async function enrolUser(api: Api, email = uniqueEmail()): Promise<EnrolledUser> {
  await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });
  const confirmed = await api.call(ConfirmUserDocument, {
    input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
  });
  const setup = confirmed.data!.confirmUser!;
  const done = await api.call(ConfirmMfaDocument, {
    input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
  });
  const result = done.data!.confirmMfa!;
  api.advance(30_000); // the next code comes from the next time step
  return {
    email,
    password: PASSWORD,
    secret: setup.secretCode,
    recoveryCodes: result.recoveryCodes,
    tokens: result.tokens,
  };
}

/** login → verifyMfa for an enrolled user. */
export async function signIn(api: Api, user: EnrolledUser) {
  const login = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
  const tokens = await api.call(VerifyMfaDocument, {
    input: { email: user.email, session: login.data!.login!.session, otp: api.totp(user.secret) },
  });
  api.advance(30_000);
  return tokens.data!.verifyMfa!;
}

/** The pool's user id (sub) of an account, asked of the local Cognito as an operator would. */
export async function subOf(api: Api, email: string): Promise<string> {
  const { cognitoEndpoint, region, userPoolId } = api.stack.outputs;
  const cognito = new CognitoIdentityProviderClient({
    region,
    endpoint: cognitoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    return user.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
  } finally {
    cognito.destroy();
  }
}

/**
 * Puts a user in a Cognito group the way an operator would, with the AWS SDK against the pool (the
 * API has no field for it). Tokens issued afterwards carry the group in `cognito:groups`; with
 * `member: false` it takes the user out again (tokens already issued keep the claim).
 */
export async function addToGroup(api: Api, email: string, group: string, member = true): Promise<void> {
  const { cognitoEndpoint, region, userPoolId } = api.stack.outputs;
  const cognito = new CognitoIdentityProviderClient({
    region,
    endpoint: cognitoEndpoint,
    // The local Cognito does not check IAM credentials; the SDK still wants some.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const target = { UserPoolId: userPoolId, Username: email, GroupName: group };
  try {
    await cognito.send(
      member ? new AdminAddUserToGroupCommand(target) : new AdminRemoveUserFromGroupCommand(target),
    );
  } finally {
    cognito.destroy();
  }
}

/** Writes an object into the MFA bucket of the local S3 directly, as a leftover the API must clean. */
export async function putStoredObject(api: Api, key: string, body: string): Promise<void> {
  const { s3Endpoint, region, mfaBucket } = api.stack.outputs;
  const s3 = new S3Client(localS3ClientConfig(s3Endpoint, region));
  try {
    await s3.send(new PutObjectCommand({ Bucket: mfaBucket, Key: key, Body: body }));
  } finally {
    s3.destroy();
  }
}

/** Whether the MFA bucket holds `key` (e.g. a user's recovery-code hashes), asked of the local S3. */
export async function storedObjectExists(api: Api, key: string): Promise<boolean> {
  const { s3Endpoint, region, mfaBucket } = api.stack.outputs;
  const s3 = new S3Client(localS3ClientConfig(s3Endpoint, region));
  try {
    await s3.send(new HeadObjectCommand({ Bucket: mfaBucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  } finally {
    s3.destroy();
  }
}

/** The keys the MFA bucket holds under `prefix` (e.g. every QR object of one user), asked of the local S3. */
export async function storedKeys(api: Api, prefix: string): Promise<string[]> {
  const { s3Endpoint, region, mfaBucket } = api.stack.outputs;
  const s3 = new S3Client(localS3ClientConfig(s3Endpoint, region));
  try {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: mfaBucket, Prefix: prefix }));
    return (page.Contents ?? []).map((o) => o.Key!);
  } finally {
    s3.destroy();
  }
}

/** The text of an object the API stored in the MFA bucket, or undefined when there is none. */
export async function storedObject(api: Api, key: string): Promise<string | undefined> {
  const { s3Endpoint, region, mfaBucket } = api.stack.outputs;
  const s3 = new S3Client(localS3ClientConfig(s3Endpoint, region));
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: mfaBucket, Key: key }));
    return await object.Body!.transformToString();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  } finally {
    s3.destroy();
  }
}

/** One GraphQL request over HTTP with the API key, as any client can send it; the body as text. */
export async function postGraphql(
  api: Api,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<string> {
  const res = await fetch(api.stack.outputs.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': api.stack.outputs.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  return res.text();
}
