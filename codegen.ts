import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * From the schema: typed documents for clients (Apollo Client, tests, the example apps, GraphiQL's
 * tabs) from the operations they use, and the server's types (inputs, payloads and a field index) for
 * the functions.
 * `strictScalars` makes an AWS scalar without a mapping fail loudly.
 */
const scalars = {
  AWSDate: 'string',
  AWSTime: 'string',
  AWSDateTime: 'string',
  AWSTimestamp: 'number',
  AWSEmail: 'string',
  AWSJSON: 'string',
  AWSURL: 'string',
  AWSPhone: 'string',
  AWSIPAddress: 'string',
};

const config: CodegenConfig = {
  schema: ['schema/aws.graphql', 'schema/schema.graphql'],
  overwrite: true,
  generates: {
    // For the functions: handlers' inputs and the domain's return types (functions/runtime/operation.ts).
    'schema/generated/types.ts': {
      plugins: ['typescript', './schema/codegen/fields.js'],
      config: {
        strictScalars: true,
        // A function returns AWSJSON as a JSON value; AppSync serialises it for the wire.
        scalars: { ...scalars, AWSJSON: { input: 'unknown', output: 'unknown' } },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
    'examples/client/generated/': {
      documents: ['examples/client/operations.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { strictScalars: true, scalars, enumsAsTypes: true, useTypeImports: true },
    },
    'examples/apollo-link/generated/': {
      documents: ['examples/apollo-link/operations.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { strictScalars: true, scalars, enumsAsTypes: true, useTypeImports: true },
    },
    // For the Apollo link: which credential each root field takes, from the schema's auth directives.
    'examples/apollo-link/generated/auth-modes.ts': {
      plugins: ['./schema/codegen/auth-modes.js'],
      config: { defaultMode: 'API_KEY' },
    },
    // GraphiQL's example tabs (local/appsync/graphiql.ts): validated here, so none can go stale.
    'examples/graphiql/generated/': {
      documents: ['examples/graphiql/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { strictScalars: true, scalars, enumsAsTypes: true, useTypeImports: true },
    },
    'examples/web/generated/': {
      documents: ['examples/web/operations.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { strictScalars: true, scalars, enumsAsTypes: true, useTypeImports: true },
    },
    'test/generated/': {
      documents: ['test/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { strictScalars: true, scalars, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
