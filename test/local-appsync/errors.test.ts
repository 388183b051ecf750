import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, post, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const apiKey = { 'x-api-key': API_KEY };

describe('error shapes, as AppSync returns them', () => {
  it('util.error in the request handler ends the field with its type and info, and the function never runs', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { refuse(reason: "too long") }', apiKey);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: { refuse: null },
      errors: [
        {
          path: ['refuse'],
          data: null,
          errorType: 'BAD_USER_INPUT',
          errorInfo: { field: 'reason' },
          locations: [{ line: 1, column: 12, sourceName: null }],
          message: 'Refused: too long',
        },
      ],
    });
    expect(h.calls['Mutation.refuse']).toBeUndefined();
  });

  it('util.appendError keeps the data and adds the error', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { appended }', apiKey);
    expect(answer.body.data).toEqual({ appended: 'still here' });
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        path: ['appended'],
        errorType: 'PARTIAL',
        errorInfo: { hint: 'kept' },
        message: 'Partial answer',
      }),
    ]);
  });

  it('reports a function that throws as Lambda:Unhandled in ctx.error', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { crash }', apiKey);
    expect(answer.body.data).toEqual({ crash: null });
    expect(answer.body.errors?.[0]).toMatchObject({
      path: ['crash'],
      errorType: 'Lambda:Unhandled',
      message: 'connection to the user store failed',
    });
    expect(h.calls['Mutation.crash']).toBe(1);
  });

  it('util.unauthorized gives the Unauthorized shape for the field', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { deny }', apiKey);
    expect(answer.body.errors?.[0]).toMatchObject({
      path: ['deny'],
      errorType: 'Unauthorized',
      message: 'Not Authorized to access deny on type Mutation',
    });
  });

  it('keeps the other fields of a request when one field fails', async () => {
    const answer = await post(h.graphqlUrl, 'mutation { crash leak }', apiKey);
    expect(answer.body.data).toEqual({ crash: null, leak: 'clean' });
    expect(answer.body.errors).toHaveLength(1);
  });

  it('answers a schema validation error with no data and the location', async () => {
    const answer = await post(h.graphqlUrl, '{ nope }', apiKey);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.[0]?.message).toMatch(/Validation error.*nope/);
    expect(answer.body.errors?.[0]?.locations).toEqual([{ line: 1, column: 3, sourceName: null }]);
  });

  it('answers a syntax error as a validation error', async () => {
    const answer = await post(h.graphqlUrl, '{ echo(', apiKey);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.[0]?.message).toMatch(/^Validation error of type InvalidSyntax/);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await fetch(h.graphqlUrl, { method: 'POST', headers: apiKey, body: '{not json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { errorType: string }[] }).errors[0]?.errorType).toBe(
      'MalformedHttpRequestException',
    );
  });

  it('answers null for a root field with no resolver attached, without an error', async () => {
    const answer = await post(h.graphqlUrl, '{ notWired }', apiKey);
    expect(answer.body).toEqual({ data: { notWired: null } });
  });
});
