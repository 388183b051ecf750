import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The project's own ESLint configuration, applied to resolver sources as `npm run lint` applies it.
const eslint = new ESLint({ cwd: process.cwd() });
const RESOLVER_PATH = 'resolvers/Mutation.login.ts';

async function problems(source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: RESOLVER_PATH });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

const wrap = (body: string): string => `import { util, type Context } from '@aws-appsync/utils';

export function request(ctx: Context) {
${body}
  return { operation: 'Invoke', payload: ctx.args };
}

export function response(ctx: Context) {
  return ctx.result;
}
`;

describe('resolver lint (APPSYNC_JS restrictions)', () => {
  it('accepts a resolver that keeps to APPSYNC_JS', async () => {
    expect(await problems(wrap('  if (!ctx.args.input) util.error("missing", "BAD_USER_INPUT");'))).toEqual(
      [],
    );
  });

  it('refuses try/catch', async () => {
    expect(await problems(wrap('  try { util.autoId(); } catch (e) { util.error("x"); }'))).toContain(
      '@aws-appsync/no-try',
    );
  });

  it('refuses throw', async () => {
    expect(await problems(wrap('  if (!ctx.args.input) throw new Error("missing");'))).toContain(
      'no-restricted-syntax',
    );
  });

  it('refuses a class', async () => {
    expect(await problems(`${wrap('')}\nexport class Helper {}\n`)).toContain('@aws-appsync/no-classes');
  });

  it('refuses async functions', async () => {
    const source = wrap('').replace('export function request', 'export async function request');
    expect(await problems(source)).toContain('@aws-appsync/no-async');
  });

  it('lints the real resolvers clean', async () => {
    const results = await eslint.lintFiles(['resolvers/**/*.ts']);
    expect(results.length).toBeGreaterThan(10);
    expect(results.flatMap((r) => r.messages.filter((m) => m.severity === 2))).toEqual([]);
  });
});
