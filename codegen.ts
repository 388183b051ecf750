import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for clients (Apollo Client, tests, the example app) from the schema and the
 * operations they use. `strictScalars` makes an AWS scalar without a mapping fail loudly.
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
    'examples/client/generated/': {
      documents: ['examples/client/operations.graphql'],
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
