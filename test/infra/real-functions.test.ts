/**
 * The app exactly as `npm run synth` builds it, on the real functions/ folder: whatever handlers
 * exist today get their function and resolver, and nothing else is deployed. Passes with no handler
 * at all and keeps passing as handlers land.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphQLObjectType, buildSchema } from 'graphql';
import { readLocalSchemaSDL } from '../../infra/paths';
import { OPERATIONS, resolverFileOf } from '../../infra/wiring';
import { acknowledgements, synth, type Synthesized, type CfnJson } from './synth';

let s: Synthesized;

beforeAll(() => {
  s = synth({ env: 'dev' });
}, 120_000);

afterAll(() => s?.cleanup());

type Json = CfnJson;

const schemaFields = (): string[] => {
  const schema = buildSchema(readLocalSchemaSDL());
  return ['Query', 'Mutation'].flatMap((t) =>
    Object.keys((schema.getType(t) as GraphQLObjectType).getFields()).map((f) => `${t}.${f}`),
  );
};

describe('the app on the real functions/ folder', () => {
  it('gives every schema field a resolver on its function', () => {
    const existing = new Set(OPERATIONS.map(resolverFileOf));
    const resolvers = Object.values(s.template.findResources('AWS::AppSync::Resolver')) as Json[];
    const resolved = new Set(resolvers.map((r) => `${r.Properties.TypeName}.${r.Properties.FieldName}`));
    for (const field of schemaFields()) {
      expect(resolved.has(field), field).toBe(existing.has(field));
    }
    expect(resolvers).toHaveLength(existing.size);
  });

  it('creates exactly one function per wiring row', () => {
    const existing = OPERATIONS;
    // Plus the daily orphaned-object sweep, and CDK's deploy-time provider that copies the client
    // secret into Secrets Manager.
    s.template.resourceCountIs('AWS::Lambda::Function', existing.length + 2);
    expect([...s.stack.functions.keys()].sort()).toEqual(existing.map(resolverFileOf).sort());
  });

  it('has a wiring row for every schema field', () => {
    expect(OPERATIONS.map(resolverFileOf).sort()).toEqual(schemaFields().sort());
  });

  it('passes cdk-nag AWS Solutions with no unacknowledged finding', () => {
    expect(s.nagViolations).toEqual([]);
  });

  it('gives every acknowledged cdk-nag finding a reason that says why', () => {
    const acks = acknowledgements(s.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(60);
    }
  });
});
