/**
 * The web example as a person meets it: the local stack in this process (its clock movable, as in
 * test/api/harness.ts), the app built by Vite and served by Vite's preview server on loopback with
 * that stack's outputs, and Debian's Chromium driven by playwright-core. Each step can be scanned by
 * axe in both themes and photographed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { expect } from 'vitest';
import { ROOT } from '../../infra/paths';
import { startApi, type Api } from '../api/harness';

// Debian's Chromium (.ci/run installs it); the flags keep it off the closed network.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
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

const WEB = join(ROOT, 'examples', 'web');
/** Screenshots of every step, kept as test artifacts (git-ignored). */
export const RESULTS = join(ROOT, 'test-results', 'browser');
/** `npm run screenshots` refreshes the README's pictures from the same steps. */
const DOCS = process.env.DOCS_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : undefined;

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export interface WebApp {
  api: Api;
  url: string;
  browser: Browser;
  /** A fresh browser profile (no theme choice, no tokens) with its page. */
  open(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startWebApp(): Promise<WebApp> {
  const api = await startApi();
  const scratch = mkdtempSync(join(tmpdir(), 'web-app-'));
  const outputs = join(scratch, 'outputs.json');
  writeFileSync(outputs, JSON.stringify(api.stack.outputs));
  // The config's own outputs relay reads this (the same variable `npm run example:web` takes).
  process.env.OUTPUTS_FILE = outputs;
  const configFile = join(WEB, 'vite.config.ts');
  const outDir = join(scratch, 'dist');
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    // The build people host: Vitest's NODE_ENV=test would otherwise give React's development build.
    const testEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile, logLevel: 'warn', build: { outDir } });
    } finally {
      process.env.NODE_ENV = testEnv;
    }
    server = await preview({
      configFile,
      logLevel: 'warn',
      build: { outDir },
      preview: { port: 0, strictPort: true },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  } catch (error) {
    await server?.close();
    await api.close();
    throw error;
  }
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const running = browser;
  const previewServer = server;
  return {
    api,
    url,
    browser: running,
    async open(viewport = DESKTOP) {
      const context = await running.newContext({ viewport, acceptDownloads: true });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.slice(0, -1) });
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      return { context, page };
    },
    async close() {
      await running.close();
      await previewServer.close();
      await api.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export type Theme = 'light' | 'dark';

/** What a screen must be, in either theme: free of serious or critical axe violations, no wider than the window. */
export async function checkScreen(page: Page, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe, ${theme} theme`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal scrolling').toBeLessThanOrEqual(0);
}

/**
 * One step of a journey: scanned and photographed in the light and the dark theme (the system's
 * preference, as emulated), left in the light one.
 */
export function stepper(journey: string) {
  const dir = join(RESULTS, journey);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> => {
    const label = `${String(++n).padStart(2, '0')}-${name}`;
    for (const theme of ['light', 'dark'] as const) {
      await checkScreen(page, theme);
      const shot = await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
      writeFileSync(join(dir, `${label}-${theme}.png`), shot);
      if (DOCS && options.docs) {
        mkdirSync(DOCS, { recursive: true });
        writeFileSync(join(DOCS, `${name}-${theme}.png`), shot);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
}

/** The heading of the screen now shown, once it has taken the focus. */
export async function screenTitle(page: Page): Promise<string> {
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.tagName), { timeout: 15_000 })
    .toBe('H1');
  return page.locator('h1').innerText();
}

/** The error text a field is described by, as assistive technology reads it with the field. */
export async function descriptionOf(page: Page, label: string | RegExp): Promise<string> {
  const field = page.getByLabel(label, { exact: typeof label === 'string' });
  const ids = (await field.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(' ')
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(' ');
}

export const focusedId = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => document.activeElement?.id);

/** The secret the enrolment screen shows for typing into an app, and what its QR code encodes. */
export async function enrolmentShown(page: Page): Promise<{ secret: string; qr: string | undefined }> {
  const secret = (await page.getByLabel('Secret key').innerText()).replace(/\s/g, '');
  const image = page.getByRole('img', { name: /QR code/ });
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  const png = PNG.sync.read(await image.screenshot());
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  return { secret, qr };
}
