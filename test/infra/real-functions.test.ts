/**
 * The app exactly as `npm run synth` builds it, on the real functions/ folder: whatever handlers
 * exist today get their function and resolver, and nothing else is deployed. Passes with no handler
 * at all and keeps passing as handlers land.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphQLObjectType, buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientsOf, type OptionalClient } from '../../infra/function-bundling';
import { readLocalSchemaSDL } from '../../infra/paths';
import { settingsFor } from '../../infra/settings';
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

  it('bundles into each function the SDK clients its wiring row uses, and no other', () => {
    // Each client's model namespace is in its bundle exactly when the client is.
    const namespaces = {
      s3: 'com.amazonaws.s3',
      dynamodb: 'com.amazonaws.dynamodb',
      secretsManager: 'com.amazonaws.secretsmanager',
    } as const;
    const resources = s.template.toJSON().Resources as Record<string, Json>;
    for (const o of OPERATIONS) {
      const fn =
        resources[
          s.stack.getLogicalId(s.stack.functions.get(resolverFileOf(o))!.fn.node.defaultChild as never)
        ]!;
      const asset = join(
        s.outdir,
        `asset.${String(fn.Properties.Code.S3Key).replace('.zip', '')}`,
        'index.mjs',
      );
      const code = readFileSync(asset, 'utf8');
      expect(code, resolverFileOf(o)).toContain('com.amazonaws.cognitoidentityprovider');
      const used = clientsOf(o, settingsFor('dev').clientSecret);
      const bundled = (Object.keys(namespaces) as OptionalClient[]).filter((c) =>
        code.includes(namespaces[c]),
      );
      expect(bundled, resolverFileOf(o)).toEqual(used);
    }
  });

  it('leaves out of every S3 function the schemas of the S3 operations none of them calls', () => {
    // Without infra/sdk-schema-keys.ts esbuild keeps the whole S3 schema module in each of them.
    const resources = s.template.toJSON().Resources as Record<string, Json>;
    const withS3 = OPERATIONS.filter((o) => clientsOf(o, settingsFor('dev').clientSecret).includes('s3'));
    expect(withS3.length).toBeGreaterThan(0);
    for (const o of withS3) {
      const fn =
        resources[
          s.stack.getLogicalId(s.stack.functions.get(resolverFileOf(o))!.fn.node.defaultChild as never)
        ]!;
      const code = readFileSync(
        join(s.outdir, `asset.${String(fn.Properties.Code.S3Key).replace('.zip', '')}`, 'index.mjs'),
        'utf8',
      );
      expect(code, resolverFileOf(o)).toContain('com.amazonaws.s3');
      for (const unused of [
        'PutBucketAnalyticsConfiguration',
        'GetBucketInventoryConfiguration',
        'SelectObjectContent',
      ]) {
        expect(code.includes(unused), `${resolverFileOf(o)}: ${unused}`).toBe(false);
      }
    }
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
