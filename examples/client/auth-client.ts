/**
 * A small client of the Auth API, the way an app would write one: Apollo Client, the typed documents
 * that `npm run codegen` generates from operations.graphql, and the API's error catalogue so a
 * misspelt error type does not compile. It reads the same outputs file for a local or deployed API.
 */
import { readFileSync } from 'node:fs';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import type { ErrorType } from '../../schema/errors';
import {
  ConfirmDocument,
  EnrolDocument,
  MeDocument,
  SecondFactorDocument,
  SignInDocument,
  SignOutDocument,
  SignUpDocument,
  VerifyEmailDocument,
  type AuthChallenge,
  type SetupFragment,
  type TokensFragment,
} from './generated/graphql';

export interface Outputs {
  graphqlUrl: string;
  apiKey: string;
  mailboxUrl?: string;
}

/** `outputs.local.json` after `npm start`, or `outputs.<env>.json` after `npm run deploy`. */
export function readOutputs(file: string): Outputs {
  const outputs = JSON.parse(readFileSync(file, 'utf8')) as Partial<Outputs>;
  if (!outputs.graphqlUrl || !outputs.apiKey) throw new Error(`${file} has no graphqlUrl or apiKey`);
  return outputs as Outputs;
}

/** A refusal from the API, with its catalogue type (or AppSync's own, e.g. Unauthorized). */
export class AuthApiError extends Error {
  constructor(
    readonly type: ErrorType | string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthApiError';
  }

  is(type: ErrorType): boolean {
    return this.type === type;
  }
}

export type MfaSetup = SetupFragment;
export type Tokens = TokensFragment;

export class AuthClient {
  private readonly public: ApolloClient;

  constructor(private readonly outputs: Outputs) {
    this.public = this.client({ 'x-api-key': outputs.apiKey });
  }

  private client(headers: Record<string, string>): ApolloClient {
    return new ApolloClient({
      link: new HttpLink({ uri: this.outputs.graphqlUrl, headers }),
      cache: new InMemoryCache(),
    });
  }

  /** Runs a mutation or query and returns its field, or throws the API's refusal as AuthApiError. */
  private async run<T>(call: Promise<{ data?: T | null; error?: unknown }>): Promise<NonNullable<T>> {
    const { data, error } = await call;
    if (CombinedGraphQLErrors.is(error)) {
      const first = error.errors[0] as { message: string; errorType?: string } | undefined;
      const type = first?.errorType ?? 'INTERNAL';
      throw new AuthApiError(type, first?.message ?? 'The API refused the request.');
    }
    if (error) throw error;
    return data as NonNullable<T>;
  }

  async signUp(email: string, fullName: string): Promise<void> {
    await this.run(
      this.public.mutate({
        mutation: SignUpDocument,
        variables: { input: { email, fullName } },
        errorPolicy: 'all',
      }),
    );
  }

  async confirm(email: string, temporaryPassword: string, newPassword: string): Promise<MfaSetup> {
    const data = await this.run(
      this.public.mutate({
        mutation: ConfirmDocument,
        variables: { input: { email, temporaryPassword, newPassword } },
        errorPolicy: 'all',
      }),
    );
    return data.confirmUser!;
  }

  async enrol(
    email: string,
    session: string,
    otp: string,
  ): Promise<{ tokens: Tokens; recoveryCodes: string[] }> {
    const data = await this.run(
      this.public.mutate({
        mutation: EnrolDocument,
        variables: { input: { email, session, otp } },
        errorPolicy: 'all',
      }),
    );
    return { tokens: data.confirmMfa!.tokens, recoveryCodes: data.confirmMfa!.recoveryCodes };
  }

  /**
   * Step 1. Either a TOTP challenge (SOFTWARE_TOKEN_MFA), or, for an account that never finished
   * enrolment, EMAIL_VERIFICATION: a code went to the address; `verifyEmail` with it starts enrolment.
   */
  async signIn(email: string, password: string): Promise<{ challenge: AuthChallenge; session: string }> {
    const data = await this.run(
      this.public.mutate({
        mutation: SignInDocument,
        variables: { input: { email, password } },
        errorPolicy: 'all',
      }),
    );
    return { challenge: data.login!.challenge, session: data.login!.session };
  }

  /** After EMAIL_VERIFICATION: the e-mailed code, for a new enrolment to complete with `enrol`. */
  async verifyEmail(email: string, session: string, code: string): Promise<MfaSetup> {
    const data = await this.run(
      this.public.mutate({
        mutation: VerifyEmailDocument,
        variables: { input: { email, session, code } },
        errorPolicy: 'all',
      }),
    );
    return data.verifyEnrolmentEmail!;
  }

  /** Step 2. */
  async secondFactor(email: string, session: string, otp: string): Promise<Tokens> {
    const data = await this.run(
      this.public.mutate({
        mutation: SecondFactorDocument,
        variables: { input: { email, session, otp } },
        errorPolicy: 'all',
      }),
    );
    return data.verifyMfa!;
  }

  /** The caller's own account: sent with the ACCESS token, never the ID token. */
  async me(tokens: Pick<Tokens, 'accessToken'>) {
    const data = await this.run(
      this.client({ authorization: tokens.accessToken }).query({
        query: MeDocument,
        fetchPolicy: 'no-cache',
        errorPolicy: 'all',
      }),
    );
    return data.userinfo!;
  }

  async signOut(tokens: Pick<Tokens, 'accessToken'>): Promise<void> {
    await this.run(
      this.client({ authorization: tokens.accessToken }).mutate({
        mutation: SignOutDocument,
        errorPolicy: 'all',
      }),
    );
  }
}
