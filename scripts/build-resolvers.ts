import { relative } from 'node:path';
import { buildResolvers } from '../infra/resolver-bundles';
import { RESOLVER_BUNDLES_DIR, ROOT } from '../infra/paths';

try {
  const files = buildResolvers();
  console.log(`Bundled ${files.length} resolvers into ${relative(ROOT, RESOLVER_BUNDLES_DIR)}/`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
