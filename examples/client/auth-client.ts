/**
 * A small client of the Auth API, the way an app would write one: Apollo Client on the project's
 * link (examples/apollo-link: the right credential per operation, token refresh, typed errors), the
 * typed documents that `npm run codegen` generates from operations.graphql, and the API's error
 * catalogue so a misspelt error type does not compile. It reads the same outputs file for a local or
 * deployed API.
 */
import { readFileSync } from 'node:fs';
import type { ApolloClient } from '@apollo/client';
import { AuthApiError, authErrorOf, createAuthClient, type AuthLink } from '../apollo-link';
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

export { AuthApiError };

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

export type MfaSetup = SetupFragment;
export type Tokens = TokensFragment;

/** One person's session: `enrol` and `secondFactor` sign it in, `signOut` ends it everywhere. */
export class AuthClient {
  private readonly client: ApolloClient;
  private readonly auth: AuthLink;

  constructor(outputs: Outputs) {
    ({ client: this.client, auth: this.auth } = createAuthClient({
      graphqlUrl: outputs.graphqlUrl,
      apiKey: outputs.apiKey,
    }));
  }

  /** Runs a mutation or query and returns its field, or throws the API's refusal as AuthApiError. */
  private async run<T>(call: Promise<{ data?: T | null; error?: unknown }>): Promise<NonNullable<T>> {
    const { data, error } = await call;
    if (error) throw authErrorOf(error) ?? error;
    return data as NonNullable<T>;
  }

  async signUp(email: string, fullName: string): Promise<void> {
    await this.run(
      this.client.mutate({
        mutation: SignUpDocument,
        variables: { input: { email, fullName } },
        errorPolicy: 'all',
      }),
    );
  }

  async confirm(email: string, temporaryPassword: string, newPassword: string): Promise<MfaSetup> {
    const data = await this.run(
      this.client.mutate({
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
      this.client.mutate({
        mutation: EnrolDocument,
        variables: { input: { email, session, otp } },
        errorPolicy: 'all',
      }),
    );
    this.auth.signIn(data.confirmMfa!.tokens);
    return { tokens: data.confirmMfa!.tokens, recoveryCodes: data.confirmMfa!.recoveryCodes };
  }

  /**
   * Step 1. Either a TOTP challenge (SOFTWARE_TOKEN_MFA), or, for an account that never finished
   * enrolment, EMAIL_VERIFICATION: a code went to the address; `verifyEmail` with it starts enrolment.
   */
  async signIn(email: string, password: string): Promise<{ challenge: AuthChallenge; session: string }> {
    const data = await this.run(
      this.client.mutate({
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
      this.client.mutate({
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
      this.client.mutate({
        mutation: SecondFactorDocument,
        variables: { input: { email, session, otp } },
        errorPolicy: 'all',
      }),
    );
    this.auth.signIn(data.verifyMfa!);
    return data.verifyMfa!;
  }

  /** The signed-in account, read with the session's access token (the link never sends the ID token). */
  async me() {
    const data = await this.run(
      this.client.query({ query: MeDocument, fetchPolicy: 'no-cache', errorPolicy: 'all' }),
    );
    return data.userinfo!;
  }

  /** Signs out everywhere (every session's refresh token stops working), then forgets the tokens here. */
  async signOut(): Promise<void> {
    await this.run(this.client.mutate({ mutation: SignOutDocument, errorPolicy: 'all' }));
    this.auth.signOut();
  }
}
