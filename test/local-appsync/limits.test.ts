import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, post, startHarness, type Harness } from './harness';

const apiKey = { 'x-api-key': API_KEY };
const nested = (depth: number): string => {
  let q = 'name';
  for (let i = 1; i < depth; i++) q = `name child { ${q} }`;
  return `{ node { ${q} } }`;
};

describe('abuse limits (query depth 5, 3 resolvers, 16 KiB, introspection on)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('serves a query at the depth limit', async () => {
    const answer = await post(h.graphqlUrl, nested(4), apiKey);
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses a query deeper than the limit before running any resolver', async () => {
    const before = h.calls['Query.node'] ?? 0;
    const answer = await post(h.graphqlUrl, nested(7), apiKey);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.[0]?.errorType).toBe('QueryDepthLimitExceeded');
    expect(h.calls['Query.node'] ?? 0).toBe(before);
  });

  it('counts depth through fragments too', async () => {
    const query = `fragment Deep on Node { child { child { child { child { child { name } } } } } }
      { node { ...Deep } }`;
    const answer = await post(h.graphqlUrl, query, apiKey);
    expect(answer.body.errors?.[0]?.errorType).toBe('QueryDepthLimitExceeded');
  });

  it('refuses a request needing more resolvers than the limit', async () => {
    const answer = await post(h.graphqlUrl, '{ a: either b: either c: either d: either }', apiKey);
    expect(answer.body.errors?.[0]?.errorType).toBe('ResolverCountLimitExceeded');
  });

  it('counts root fields in inline fragments and fragment spreads, and none of them runs', async () => {
    const before = h.calls['Query.either'] ?? 0;
    const query = `fragment More on Query { c: either d: either }
      { a: either ... on Query { b: either } ...More }`;
    const answer = await post(h.graphqlUrl, query, apiKey);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.[0]?.errorType).toBe('ResolverCountLimitExceeded');
    expect(h.calls['Query.either'] ?? 0).toBe(before);
  });

  it('counts a field collected twice under one response key once, as execution runs it once', async () => {
    const query = `fragment Again on Query { a: either }
      { a: either ...Again ... on Query { a: either } b: either }`;
    const answer = await post(h.graphqlUrl, query, apiKey);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ a: expect.anything(), b: expect.anything() });
  });

  it('refuses a request body over the size limit with 413, without reading it whole', async () => {
    const big = 'x'.repeat(64 * 1024);
    const answer = await post(h.graphqlUrl, `{ echo(text: "${big}") { text } }`, apiKey);
    expect(answer.status).toBe(413);
    expect(answer.body.errors?.[0]?.errorType).toBe('BadRequestException');
  });

  it('judges each operation of a document sent again by its own limits, whichever came first', async () => {
    const query = `query Shallow { node { name } } query Deep ${nested(7)} query Many { a: either b: either c: either d: either }`;
    const send = async (operationName: string) => {
      const res = await fetch(h.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...apiKey },
        body: JSON.stringify({ query, operationName }),
      });
      const body = (await res.json()) as { errors?: { errorType?: string; message: string }[] };
      return body.errors?.[0]?.errorType ?? body.errors?.[0]?.message ?? 'answered';
    };
    const verdicts = [];
    for (const name of ['Shallow', 'Deep', 'Many', 'Shallow', 'Deep', 'Many', 'Other', 'Other']) {
      verdicts.push(await send(name));
    }
    expect(verdicts).toEqual([
      'answered',
      'QueryDepthLimitExceeded',
      'ResolverCountLimitExceeded',
      'answered',
      'QueryDepthLimitExceeded',
      'ResolverCountLimitExceeded',
      'Unknown operation named "Other".',
      'Unknown operation named "Other".',
    ]);
  });

  it('answers introspection when it is on', async () => {
    const answer = await post(h.graphqlUrl, '{ __schema { queryType { name } } }', apiKey);
    expect(answer.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('introspection off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ introspection: false });
  });
  afterAll(() => h.close());

  it('refuses __schema and __type', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Query") { name } }']) {
      const answer = await post(h.graphqlUrl, query, apiKey);
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    }
  });

  it('still answers __typename, which is not introspection of the schema', async () => {
    const answer = await post(h.graphqlUrl, '{ echo(text: "t") { __typename text } }', apiKey);
    expect(answer.body.data).toEqual({ echo: { __typename: 'Echo', text: 't' } });
  });
});
