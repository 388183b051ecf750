import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, post, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const apiKey = { 'x-api-key': API_KEY };

describe('APPSYNC_JS runtime', () => {
  it('gives resolvers util.autoId() as a v4 UUID', async () => {
    const answer = await post(h.graphqlUrl, '{ echo(text: "id") { requestId } }', apiKey);
    const echo = answer.body.data?.echo as { requestId: string };
    expect(echo.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('fails loudly on a util member it does not implement, naming it', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { unimplemented }', apiKey);
    expect(answer.body.data).toEqual({ unimplemented: null });
    expect(answer.body.errors?.[0]?.errorType).toBe('LocalAppSync:NotImplemented');
    expect(answer.body.errors?.[0]?.message).toContain('util.dynamodb.toMapValues');
    expect(h.calls['Mutation.unimplemented']).toBeUndefined();
    expect(h.logs.some((l) => l.includes('util.dynamodb.toMapValues'))).toBe(true);
  });

  it('isolates resolvers from the host: no process, require, network or timers, and no escape through constructors', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { probe }', apiKey);
    const found = JSON.parse(answer.body.data?.probe as string) as Record<string, string>;
    expect(found).toEqual({
      process: 'undefined',
      require: 'undefined',
      fetch: 'undefined',
      setTimeout: 'undefined',
      Buffer: 'undefined',
      constructorEscape: 'blocked: EvalError',
      utilEscape: 'blocked: EvalError',
    });
  });

  it.each(['global', 'job', 'replace', 'prototype', 'pin'])(
    'shows no call what an earlier one left on the global object (%s)',
    async (how) => {
      const leak = `mutation { leak(how: "${how}") }`;
      const answers = [await post(h.graphqlUrl, leak, apiKey), await post(h.graphqlUrl, leak, apiKey)];
      const after = await post(h.graphqlUrl, 'mutation { leak }', apiKey);
      expect([...answers, after].map((a) => a.body)).toEqual([
        { data: { leak: 'clean' } },
        { data: { leak: 'clean' } },
        { data: { leak: 'clean' } },
      ]);
    },
  );

  it('shows no call what an earlier one did to module state, built-ins, util or RegExp', async () => {
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push(await post(h.graphqlUrl, 'mutation { taint }', apiKey));
    const clean = {
      moduleCalls: 0,
      arrayPrototype: 'clean',
      objectPrototype: 'clean',
      iteratorPrototype: 'clean',
      json: '{"a":1}',
      autoId: 'clean',
      lastMatch: '',
    };
    expect(calls.map((c) => JSON.parse(c.body.data?.taint as string) as unknown)).toEqual(
      Array(3).fill({ left: clean, errorName: 'Custom' }),
    );
  });

  it('stops a resolver that never returns and keeps serving', async () => {
    const started = Date.now();
    const answer = await post(h.graphqlUrl, 'mutation { spin }', apiKey);
    expect(answer.body.data).toEqual({ spin: null });
    expect(answer.body.errors?.[0]?.path).toEqual(['spin']);
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await post(h.graphqlUrl, '{ echo(text: "alive") { text } }', apiKey);
    expect(after.body.data).toEqual({ echo: { text: 'alive' } });
  });

  it('answers a request that arrives while another resolver runs over its limit', async () => {
    const spin = post(h.graphqlUrl, 'mutation { spin }', apiKey);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const echo = await post(h.graphqlUrl, '{ echo(text: "queued") { text } }', apiKey);
    expect(echo.body).toEqual({ data: { echo: { text: 'queued' } } });
    expect((await spin).body.data).toEqual({ spin: null });
  });

  it('honours runtime.earlyReturn: no data source call, no response handler', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { early }', apiKey);
    expect(answer.body).toEqual({ data: { early: 'returned early' } });
    expect(h.calls['Mutation.early']).toBeUndefined();
  });

  it('sends the Lambda the payload the resolver built, and serialises AWSJSON as a string', async () => {
    const answer = await post(h.graphqlUrl, '{ json }', apiKey);
    expect(answer.body.data).toEqual({ json: JSON.stringify({ nested: { list: [1, 2] } }) });
  });
});
