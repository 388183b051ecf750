/** `npm start`: the whole API on this machine. State lives in .local/ (wipe it with `npm run reset`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../infra/paths';
import { startLocalStack } from './stack';

const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number (0–65535), got "${raw}"`);
    process.exit(1);
  }
  return value;
};

// LOCAL_STATE_DIR and OUTPUTS_FILE let a second stack (or a test) run beside yours without sharing state.
const stateDir = process.env.LOCAL_STATE_DIR || join(ROOT, '.local');
const outputsFile = process.env.OUTPUTS_FILE || join(ROOT, 'outputs.local.json');

const stack = await startLocalStack({
  stateDir,
  ports: { api: port('PORT', 4000), cognito: port('COGNITO_PORT', 9229), s3: port('S3_PORT', 4569) },
}).catch((error: Error & { code?: string }) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `A port is already in use (${error.message}). Stop the other process or set PORT, COGNITO_PORT, S3_PORT.`
      : `The local stack failed to start: ${error.message}`,
  );
  process.exit(1);
});

writeFileSync(outputsFile, `${JSON.stringify(stack.outputs, null, 2)}\n`);

const { outputs } = stack;
const base = outputs.graphqlUrl.replace(/\/graphql$/, '');
console.log(`
  Auth API (local) is running

  GraphiQL     ${base}/
  GraphQL      ${outputs.graphqlUrl}
  API key      ${outputs.apiKey}
  Mailbox      ${outputs.mailboxUrl}
  Cognito      ${outputs.cognitoEndpoint}  (pool ${outputs.userPoolId}, client ${outputs.userPoolClientId})
  S3           ${outputs.s3Endpoint}  (bucket ${outputs.mfaBucket})
  Outputs      ${outputsFile}
`);
console.log(`  Serving ${stack.operations.length} operations.`);
console.log(`\n  Ctrl-C stops; state is kept in ${stateDir} (npm run reset wipes it).\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n  ${signal}: stopping…`);
  void stack.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
