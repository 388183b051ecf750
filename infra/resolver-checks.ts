/**
 * What each bundled resolver does with a caller, checked against who the schema lets call its field:
 * the bundle's request handler runs in the local APPSYNC_JS runtime (the same files AppSync runs) once
 * per way AppSync may have authorised the call. A resolver that hands an API-key caller's request to
 * the function as a signed-in user, forwards no identity or token on a Cognito field, or lets an ID
 * token act fails the build, not production.
 */
import { buildSchema } from 'graphql';
import { ResolverCode, type HandlerOutcome } from '../local/appsync/resolver-code';
import { authOf, type FieldAuth } from './wiring-checks';

/** A caller as AppSync hands it to the request handler. */
interface Probe {
  readonly label: string;
  readonly authType: string;
  readonly identity: Record<string, unknown> | null;
  readonly headers: Record<string, string>;
  /** What the function must receive, or that the resolver must refuse (NOT_AUTHORIZED). */
  readonly expect: 'public' | 'caller' | 'refused';
}

const PROBE_TOKEN = 'probe-access-token';
const PROBE_USER = { sub: 'probe-sub', username: 'probe-user', groups: ['admins'] };

const cognitoProbe = (tokenUse: 'access' | 'id', expect: Probe['expect']): Probe => ({
  label: `a Cognito ${tokenUse} token`,
  authType: 'User Pool Authorization',
  identity: { ...PROBE_USER, claims: { token_use: tokenUse, sub: PROBE_USER.sub } },
  headers: { authorization: `Bearer ${PROBE_TOKEN}` },
  expect,
});

const PROBES: Record<FieldAuth, readonly Probe[]> = {
  API_KEY: [
    {
      label: 'the API key',
      authType: 'API Key Authorization',
      identity: null,
      headers: {},
      expect: 'public',
    },
  ],
  COGNITO: [cognitoProbe('access', 'caller'), cognitoProbe('id', 'refused')],
  COGNITO_GROUPS: [cognitoProbe('access', 'caller'), cognitoProbe('id', 'refused')],
};

interface Invoke {
  operation?: string;
  payload?: { identity?: { sub?: string } | null; accessToken?: string; arguments?: unknown };
}

function verdict(probe: Probe, outcome: HandlerOutcome): string | undefined {
  if (probe.expect === 'refused') {
    return outcome.outcome === 'error' && outcome.error.errorType === 'NOT_AUTHORIZED'
      ? undefined
      : `does not refuse ${probe.label}`;
  }
  if (outcome.outcome !== 'return')
    return `does not invoke the function for ${probe.label} (${outcome.outcome})`;
  const call = outcome.value as Invoke | null;
  if (call?.operation !== 'Invoke' || !call.payload) return 'does not build a Lambda Invoke';
  const { identity, accessToken } = call.payload;
  if (probe.expect === 'public') {
    return identity === null && accessToken === undefined
      ? undefined
      : `hands ${probe.label}'s call to the function with an identity or a token`;
  }
  return identity?.sub === PROBE_USER.sub && accessToken === PROBE_TOKEN
    ? undefined
    : `does not hand the caller's identity and access token to the function for ${probe.label}`;
}

/** One line per resolver whose request disagrees with its field's directives. */
export function resolverAuthProblems(
  schemaSDL: string,
  bundles: readonly { typeName: string; fieldName: string; bundlePath: string }[],
): string[] {
  const schema = buildSchema(schemaSDL);
  const problems: string[] = [];
  for (const b of bundles) {
    const auth = authOf(schema, b.typeName, b.fieldName);
    if (!auth) continue;
    const code = new ResolverCode(b.bundlePath);
    for (const probe of PROBES[auth]) {
      const ctx = {
        arguments: {},
        args: {},
        identity: probe.identity,
        source: null,
        stash: {},
        prev: { result: {} },
        request: { headers: probe.headers, domainName: null },
        info: { fieldName: b.fieldName, parentTypeName: b.typeName, variables: {}, selectionSetList: [] },
      };
      const problem = verdict(probe, code.runSync({ handler: 'request', ctx, authType: probe.authType }));
      if (problem)
        problems.push(`resolvers/${b.typeName}.${b.fieldName}.ts (${auth} in the schema) ${problem}`);
    }
  }
  return problems;
}
