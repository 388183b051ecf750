/**
 * The mistakes a newcomer can make when adding or changing an operation, each made in a scratch copy
 * of the project: `npm run build` (what `npm test` and `npm run deploy` run first) must refuse every one,
 * saying which file is wrong.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/paths';
import { OPERATIONS } from '../../infra/wiring';

let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'scratch-copy-'));
  // The project's files as they are on disk: committed, changed or new, but not ignored.
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).split('\0');
  for (const file of listed.filter((f) => f && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Makes the change, runs the build, puts the files back; returns the build's exit code and output. */
function buildWith(change: Record<string, string | null>): { status: number | null; output: string } {
  const saved = Object.fromEntries(Object.keys(change).map((f) => [f, readFileSync(join(copy, f), 'utf8')]));
  try {
    for (const [file, text] of Object.entries(change)) {
      if (text === null) unlinkSync(join(copy, file));
      else writeFileSync(join(copy, file), text);
    }
    const run = spawnSync('npm', ['run', '--silent', 'build'], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    for (const [file, text] of Object.entries(saved)) writeFileSync(join(copy, file), text);
  }
}

const source = (file: string): string => readFileSync(join(copy, file), 'utf8');

describe('npm run build in a scratch copy of the project', { timeout: 90_000 }, () => {
  it('builds the copy as it stands', () => {
    const { status, output } = buildWith({});
    expect(output).toContain(`Bundled ${OPERATIONS.length} resolvers`);
    expect(status).toBe(0);
  });

  it("refuses a resolver whose request does not match its field's auth in the schema", () => {
    // userinfo is a Cognito field; this request forwards no caller, as an API-key resolver would.
    const { status, output } = buildWith({
      'resolvers/Query.userinfo.ts': `import type { Context, LambdaRequest } from '@aws-appsync/utils';
export function request(ctx: Context): LambdaRequest {
  return { operation: 'Invoke', payload: { arguments: ctx.arguments, identity: null } };
}
export { response } from './lib/lambda';
`,
    });
    expect(status).not.toBe(0);
    expect(output).toContain(
      "resolvers/Query.userinfo.ts (COGNITO in the schema) does not hand the caller's identity and access token",
    );
  });

  it('refuses a field whose function has no handler', () => {
    const { status, output } = buildWith({ 'functions/logout/handler.ts': null });
    expect(status).not.toBe(0);
    expect(output).toContain('Mutation.logout has no function functions/logout/handler.ts');
  });

  it("refuses a handler whose input schema differs from the schema's input type", () => {
    const { status, output } = buildWith({
      // A new required input field that the login handler does not validate…
      'schema/schema.graphql': source('schema/schema.graphql').replace(
        'input LoginInput {\n  email: String!\n  password: String!\n}',
        'input LoginInput {\n  email: String!\n  password: String!\n  deviceName: String!\n}',
      ),
      // …and a handler that renames one.
      'functions/refresh/handler.ts': source('functions/refresh/handler.ts').replace(
        'z.object({ refreshToken })',
        'z.object({ token: refreshToken })',
      ),
    });
    expect(status).not.toBe(0);
    // tsc names the file, then the field and what is wrong with its input schema.
    const mismatch = (file: string, field: string) =>
      new RegExp(`${file}\\(\\d+,\\d+\\): error.*\\n.*"${field}", "the input schema lacks a field`);
    expect(output).toMatch(mismatch('functions/login/handler.ts', 'Mutation.login'));
    expect(output).toMatch(mismatch('functions/refresh/handler.ts', 'Mutation.refresh'));
  });
});
