import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleResolver } from '../../infra/resolver-bundles';
import { resolverAuthProblems } from '../../infra/resolver-checks';
import { PRELUDE_FILE, RESOLVERS_DIR } from '../../infra/paths';
import { readFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'resolver-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = `${readFileSync(PRELUDE_FILE, 'utf8')}
type Query {
  open: String @aws_api_key
  mine: String @aws_cognito_user_pools
  staff: String @aws_cognito_user_pools(cognito_groups: ["admins"])
}`;

/** Bundles a resolver source written for the test, as the build bundles the project's. */
function bundle(name: string, source: string): string {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, source);
  const out = join(dir, `${name}.js`);
  bundleResolver(entry, out);
  return out;
}

const shared = bundle(
  'shared',
  `export { request, response } from '${join(RESOLVERS_DIR, 'lib', 'lambda')}';`,
);
// What a resolver written by hand for the wrong mode looks like: the arguments and no identity.
const publicOnly = bundle(
  'public-only',
  `export function request(ctx) { return { operation: 'Invoke', payload: { arguments: ctx.arguments, identity: null } }; }
   export function response(ctx) { return ctx.result; }`,
);
// Forwards whatever identity arrives, without asking which token it came from.
const anyToken = bundle(
  'any-token',
  `export function request(ctx) {
     return { operation: 'Invoke', payload: { identity: ctx.identity, accessToken: ctx.request.headers.authorization.slice(7) } };
   }
   export function response(ctx) { return ctx.result; }`,
);

const at = (fieldName: string, bundlePath: string) => ({ typeName: 'Query', fieldName, bundlePath });

describe("the build's check of each resolver against its field's auth", () => {
  it('passes the shared request on every kind of field', () => {
    expect(
      resolverAuthProblems(schema, [at('open', shared), at('mine', shared), at('staff', shared)]),
    ).toEqual([]);
  });

  it("refuses a Cognito field whose resolver drops the caller's identity and token", () => {
    expect(resolverAuthProblems(schema, [at('mine', publicOnly)])).toEqual([
      "resolvers/Query.mine.ts (COGNITO in the schema) does not hand the caller's identity and access token to the function for a Cognito access token",
      'resolvers/Query.mine.ts (COGNITO in the schema) does not refuse a Cognito id token',
    ]);
  });

  it('refuses a resolver that lets an ID token act, and one that treats an API-key call as a caller', () => {
    expect(resolverAuthProblems(schema, [at('staff', anyToken), at('open', anyToken)])).toEqual([
      'resolvers/Query.staff.ts (COGNITO_GROUPS in the schema) does not refuse a Cognito id token',
      'resolvers/Query.open.ts (API_KEY in the schema) does not invoke the function for the API key (crash)',
    ]);
  });
});
