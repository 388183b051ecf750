/**
 * `cdk deploy --outputs-file` nests outputs under the stack name; scripts and the example app read
 * the flat keys of outputs.local.json (README, Outputs). These helpers pick the environment out of the
 * CLI arguments and flatten the file.
 */
import { OUTPUT_KEYS } from './stack';

/** The value of `-c env=…` / `--context env=…` (also `--context=env=…`), default dev. */
export function envFromCdkArgs(args: readonly string[]): string {
  let env = 'dev';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let pair: string | undefined;
    if (arg === '-c' || arg === '--context') pair = args[i + 1];
    else if (arg.startsWith('--context=')) pair = arg.slice('--context='.length);
    else if (arg.startsWith('-c=')) pair = arg.slice(3);
    if (pair?.startsWith('env=')) env = pair.slice(4);
  }
  return env;
}

/** `{ "<stack>": { graphqlUrl, … } }` -> `{ graphqlUrl, … }`, refusing a file without the contract's keys. */
export function flattenOutputs(
  raw: Record<string, Record<string, string>>,
  stackName: string,
): Record<string, string> {
  const outputs = raw[stackName];
  if (!outputs)
    throw new Error(`No outputs for stack ${stackName} (found: ${Object.keys(raw).join(', ') || 'none'})`);
  const missing = OUTPUT_KEYS.filter((k) => !(k in outputs));
  if (missing.length > 0) throw new Error(`Stack ${stackName} lacks outputs: ${missing.join(', ')}`);
  // Contract keys first, in the order of outputs.local.json, then any extra (customDomainTarget).
  const ordered: Record<string, string> = {};
  for (const k of OUTPUT_KEYS) ordered[k] = outputs[k]!;
  for (const [k, v] of Object.entries(outputs)) if (!(k in ordered)) ordered[k] = v;
  return ordered;
}
