// @ts-check
import js from '@eslint/js';
import appsync from '@aws-appsync/eslint-plugin';
import tseslint from 'typescript-eslint';

const RESOLVERS = ['resolvers/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'examples/web/dist/',
      'test-results/',
      'cdk.out/',
      '.local/',
      'coverage/',
      '**/generated/',
      'test/local-appsync/fixtures/',
      '.scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      // zod's chained API is about four times the size of zod/mini in every bundle, and its named `z`
      // export holds all of zod and its locales, which no bundler can shake.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type']",
          message: "Functions validate with `import * as z from 'zod/mini'`.",
        },
      ],
    },
  },
  // APPSYNC_JS: the resolver runtime rejects what these rules flag. The plugin's configs carry no
  // `files` key, so they are scoped to the resolver sources here.
  {
    files: RESOLVERS,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  { ...appsync.configs.recommended, files: RESOLVERS },
  {
    files: RESOLVERS,
    rules: {
      // The plugin does not flag `throw`, which APPSYNC_JS also rejects: errors go through util.error.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ThrowStatement',
          message: 'APPSYNC_JS has no throw: use util.error(message, errorType).',
        },
      ],
    },
  },
);
