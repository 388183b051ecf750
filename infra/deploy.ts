/**
 * `npm run deploy -- -c env=prod`: runs the local CDK CLI's deploy with every argument given, then
 * writes outputs.<env>.json with the same flat keys as outputs.local.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { envFromCdkArgs, flattenOutputs } from './outputs';
import { ROOT } from './paths';
import { settingsFor } from './settings';

const args = process.argv.slice(2);
const env = envFromCdkArgs(args);
const stackName = settingsFor(env).name;
mkdirSync(join(ROOT, 'cdk.out'), { recursive: true });
const rawFile = join(ROOT, 'cdk.out', `outputs.${env}.nested.json`);

// The CLI pinned in devDependencies: a bare `npx cdk` may fetch an incompatible major.
const cdk = join(ROOT, 'node_modules', '.bin', 'cdk');
const result = spawnSync(cdk, ['deploy', stackName, ...args, '--outputs-file', rawFile], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);

const outFile = join(ROOT, `outputs.${env}.json`);
const outputs = flattenOutputs(JSON.parse(readFileSync(rawFile, 'utf8')), stackName);
writeFileSync(outFile, `${JSON.stringify(outputs, null, 2)}\n`);
console.log(`Wrote ${relative(ROOT, outFile)}`);
