import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlTabDocuments } from '../../local/appsync/graphiql';
import { startLocalStack, type LocalStack } from '../../local/stack';

// Debian's Chromium (.ci/run installs it); the flags keep it off the closed network.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Any host but loopback fails to resolve: a page that needs the internet cannot pass unnoticed.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

let stack: LocalStack;
let browser: Browser;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'graphiql-'));
  stack = await startLocalStack({ stateDir, log: () => undefined });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('GraphiQL console (npm start)', () => {
  it(
    'loads from localhost alone, prefills the API key, loads the schema, runs its first example tab and a query',
    { timeout: 90_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const base = stack.outputs.graphqlUrl.replace(/\/graphql$/, '');
      // Every request the page makes, its workers included, must stay on this machine.
      const foreign: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (
          !['127.0.0.1', 'localhost'].includes(url.hostname) &&
          !['data:', 'blob:'].includes(url.protocol)
        ) {
          foreign.push(url.href);
        }
      });

      await page.goto(`${base}/`);
      await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor({ timeout: 60_000 });

      // One tab per lifecycle step, in the order of the documents codegen validates.
      await expect(page.locator('.graphiql-tab').allInnerTexts()).resolves.toEqual(
        graphiqlTabDocuments().map((d) => d.name),
      );
      expect(graphiqlTabDocuments().map((d) => d.name)).toEqual(
        expect.arrayContaining(['CreateUser', 'ConfirmUser', 'ConfirmMfa', 'Login', 'VerifyMfa', 'Refresh']),
      );
      await page.getByRole('button', { name: 'Headers' }).click();
      await page
        .locator('.graphiql-editor-tool')
        .getByText(stack.outputs.apiKey)
        .waitFor({ timeout: 10_000 });

      // The schema arrived by introspection through that key.
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      await page
        .locator('.graphiql-doc-explorer')
        .getByText('Mutation', { exact: true })
        .first()
        .waitFor({ timeout: 30_000 });

      // The first example tab, open at start, runs as shipped: its document and variables fit the schema.
      await expect
        .poll(() => page.locator('.graphiql-tab-active').innerText(), { timeout: 30_000 })
        .toBe('CreateUser');
      await page.getByRole('button', { name: 'Variables' }).click();
      await page.locator('.graphiql-editor-tool').getByText('jane@example.com').waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
      await expect
        .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 60_000 })
        .toMatch(/"status":\s*"INVITATION_SENT"/);
      expect(stack.mailbox.messages({ to: 'jane@example.com' })).toHaveLength(1);

      // A fresh tab: it must carry the API key too (defaultHeaders).
      const tabs = await page.locator('.graphiql-tab').count();
      await page.getByRole('button', { name: 'New tab' }).click();
      await expect.poll(() => page.locator('.graphiql-tab').count(), { timeout: 30_000 }).toBe(tabs + 1);
      const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      // insertText, not type: the editor would auto-close the typed brace.
      await page.keyboard.insertText('query Typename { __typename }');
      // GraphiQL takes in an edit 100 ms after the last keystroke (a debounce): until then Execute
      // sends the editor's new text with the operation name it last parsed (here the first tab's
      // CreateUser) and fails "Cannot infer operation CreateUser". The edit has been taken in once
      // the fresh tab is titled after the typed operation.
      await expect
        .poll(() => page.locator('.graphiql-tab-active').innerText(), { timeout: 30_000 })
        .toBe('Typename');
      await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
      await expect
        .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 60_000 })
        .toMatch(/"__typename":\s*"Query"/);

      expect(foreign).toEqual([]);
      await page.close();
    },
  );
});
