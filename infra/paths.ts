/** Where the project's contract and build output live on disk, and the schema as text. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = join(ROOT, 'schema', 'schema.graphql');
export const PRELUDE_FILE = join(ROOT, 'schema', 'aws.graphql');
export const RESOLVERS_DIR = join(ROOT, 'resolvers');
export const FUNCTIONS_DIR = join(ROOT, 'functions');
export const RESOLVER_BUNDLES_DIR = join(ROOT, 'dist', 'resolvers');

/** The schema as deployed (no prelude): AppSync declares its own scalars and directives. */
export const readSchemaSDL = (): string => readFileSync(SCHEMA_FILE, 'utf8');

/** The schema with AppSync's prelude, for local tools. */
export const readLocalSchemaSDL = (): string => `${readFileSync(PRELUDE_FILE, 'utf8')}\n${readSchemaSDL()}`;
