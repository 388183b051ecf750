import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, post, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const apiKey = { 'x-api-key': API_KEY };
const bearer = (token: string) => ({ authorization: token });

describe('request-level authentication (HTTP 401 UnauthorizedException)', () => {
  it('refuses a request with no credentials', async () => {
    const answer = await post(h.graphqlUrl, '{ echo(text: "hi") { text } }', {});
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
    expect(answer.body.data).toBeUndefined();
  });

  it('refuses a wrong API key', async () => {
    const answer = await post(h.graphqlUrl, '{ echo(text: "hi") { text } }', { 'x-api-key': 'da2-wrong' });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });

  it('refuses a token signed by a key that is not in the pool JWKS', async () => {
    const forged = await h.token({}, { key: 'forger' });
    const answer = await post(h.graphqlUrl, '{ me { sub } }', bearer(forged));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });

  it('refuses an expired token', async () => {
    const expired = await h.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const answer = await post(h.graphqlUrl, '{ me { sub } }', bearer(expired));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.message).toBe('Token has expired.');
  });

  it('refuses a token from another issuer', async () => {
    const other = await h.token({}, { issuer: 'http://127.0.0.1:9/local_otherpool' });
    const answer = await post(h.graphqlUrl, '{ me { sub } }', bearer(other));
    expect(answer.status).toBe(401);
  });

  it('refuses a token issued to another app client', async () => {
    const other = await h.token({ client_id: 'someoneelse' });
    const answer = await post(h.graphqlUrl, '{ me { sub } }', bearer(other));
    expect(answer.status).toBe(401);
  });

  it('refuses a token whose token_use is neither access nor id', async () => {
    const odd = await h.token({ token_use: 'refresh' });
    const answer = await post(h.graphqlUrl, '{ me { sub } }', bearer(odd));
    expect(answer.status).toBe(401);
  });

  it('refuses a garbage Authorization header', async () => {
    const answer = await post(h.graphqlUrl, '{ me { sub } }', bearer('not-a-jwt'));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.message).toBe('Unable to parse JWT token.');
  });
});

describe('field-level authorization (per-field Unauthorized, as AppSync applies directives)', () => {
  it('serves an API-key field to an API-key caller', async () => {
    const answer = await post(h.graphqlUrl, '{ echo(text: "hi") { text } }', apiKey);
    expect(answer).toMatchObject({ status: 200, body: { data: { echo: { text: 'hi' } } } });
    expect(answer.body.errors).toBeUndefined();
  });

  it('hands a user-pool field the verified identity', async () => {
    const answer = await post(h.graphqlUrl, '{ me { sub username tokenUse } }', bearer(await h.token()));
    expect(answer.body.data?.me).toEqual({
      sub: '3f1a9c1e-0000-4000-8000-000000000001',
      username: 'jane',
      tokenUse: 'access',
    });
  });

  it('refuses a user-pool field to an API-key caller, without running its resolver', async () => {
    const before = h.calls['Query.me'] ?? 0;
    const answer = await post(h.graphqlUrl, '{ me { sub } }', apiKey);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ me: null });
    expect(answer.body.errors).toEqual([
      {
        path: ['me'],
        data: null,
        errorType: 'Unauthorized',
        errorInfo: null,
        locations: [{ line: 1, column: 3, sourceName: null }],
        message: 'Not Authorized to access me on type Query',
      },
    ]);
    expect(h.calls['Query.me'] ?? 0).toBe(before);
  });

  it('refuses an API-key field to a user-pool caller', async () => {
    const answer = await post(h.graphqlUrl, '{ echo(text: "x") { text } }', bearer(await h.token()));
    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', path: ['echo'] });
  });

  it('treats a field without directives as default-mode (API key) only', async () => {
    const asUser = await post(h.graphqlUrl, '{ defaultOnly }', bearer(await h.token()));
    expect(asUser.body.errors?.[0]?.errorType).toBe('Unauthorized');
    const asKey = await post(h.graphqlUrl, '{ defaultOnly }', apiKey);
    expect(asKey.body.data).toEqual({ defaultOnly: 'default' });
  });

  it('lets a field with two directives serve both modes', async () => {
    expect((await post(h.graphqlUrl, '{ either }', apiKey)).body.data).toEqual({ either: 'either' });
    expect((await post(h.graphqlUrl, '{ either }', bearer(await h.token()))).body.data).toEqual({
      either: 'either',
    });
  });

  it("lets a field's own directive replace its type's", async () => {
    const answer = await post(h.graphqlUrl, '{ me { sub apiKeyOnly } }', bearer(await h.token()));
    expect(answer.body.data).toEqual({
      me: { sub: '3f1a9c1e-0000-4000-8000-000000000001', apiKeyOnly: null },
    });
    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', path: ['me', 'apiKeyOnly'] });
  });

  it('refuses the nested fields of a type without directives to a non-default mode', async () => {
    // Query.either is open to both modes, but Echo has no directive: AppSync refuses its fields to user pools.
    const answer = await post(h.graphqlUrl, '{ me { sub } either }', bearer(await h.token()));
    expect(answer.body.errors).toBeUndefined();
    const echo = await post(h.graphqlUrl, '{ echo(text: "x") { text } }', bearer(await h.token()));
    expect(echo.body.errors?.[0]?.message).toBe('Not Authorized to access echo on type Query');
  });

  it('serves a group-restricted field only to members of the group', async () => {
    const member = await post(
      h.graphqlUrl,
      '{ adminOnly }',
      bearer(await h.token({ 'cognito:groups': ['admins'] })),
    );
    expect(member.body.data).toEqual({ adminOnly: 'admin data' });
    const outsider = await post(
      h.graphqlUrl,
      '{ adminOnly }',
      bearer(await h.token({ 'cognito:groups': ['staff'] })),
    );
    expect(outsider.body.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', path: ['adminOnly'] });
    const noGroups = await post(h.graphqlUrl, '{ adminOnly }', bearer(await h.token()));
    expect(noGroups.body.errors?.[0]?.errorType).toBe('Unauthorized');
  });

  it('passes an ID token through AppSync (it is the resolver that refuses it) with token_use id', async () => {
    const answer = await post(
      h.graphqlUrl,
      '{ me { tokenUse } }',
      bearer(await h.token({ token_use: 'id' })),
    );
    expect(answer.body.data).toEqual({ me: { tokenUse: 'id' } });
  });

  it('uses API-key mode when both x-api-key and Authorization are sent', async () => {
    const answer = await post(h.graphqlUrl, '{ me { sub } echo(text: "k") { text } }', {
      ...apiKey,
      ...bearer(await h.token()),
    });
    expect(answer.body.data).toEqual({ me: null, echo: { text: 'k' } });
  });
});
