/**
 * The web example: `npm run example:web` serves it against the API that an outputs file describes
 * (outputs.local.json after `npm start`; OUTPUTS_FILE=outputs.<env>.json for a deployed environment).
 *
 * The page reads the API's address and key from `outputs.json`, which this config serves from that
 * file, read on every request so a restarted `npm start` is picked up without restarting Vite.
 * Locally it also relays the mailbox at `local-mailbox`: the mailbox sends no CORS headers (its
 * messages hold live temporary passwords, so no other origin may read them), and the page reads it
 * through its own origin instead.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';

const HERE = dirname(fileURLToPath(import.meta.url));
/** What the app needs of an outputs file; a deployed environment's has no mailbox. */
interface AppOutputs {
  graphqlUrl: string;
  apiKey: string;
  mailboxUrl?: string;
}

const outputsFile = (): string => process.env.OUTPUTS_FILE || join(HERE, '..', '..', 'outputs.local.json');

function readAppOutputs(file = outputsFile()): AppOutputs {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<AppOutputs>;
  if (typeof raw.graphqlUrl !== 'string' || typeof raw.apiKey !== 'string') {
    throw new Error(`${file} has no graphqlUrl or apiKey`);
  }
  // Only what the browser needs: the pool and bucket names stay out of the page.
  return {
    graphqlUrl: raw.graphqlUrl,
    apiKey: raw.apiKey,
    ...(typeof raw.mailboxUrl === 'string' ? { mailboxUrl: raw.mailboxUrl } : {}),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function serve(req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://app.invalid');
  const path = url.pathname.replace(/^.*\//, '');
  if (path !== 'outputs.json' && path !== 'local-mailbox') return next();
  let outputs: AppOutputs;
  try {
    outputs = readAppOutputs();
  } catch (error) {
    return json(res, 503, {
      error: `No API outputs (${(error as Error).message}). Run npm start, or set OUTPUTS_FILE.`,
    });
  }
  if (path === 'outputs.json') return json(res, 200, outputs);
  if (!outputs.mailboxUrl) return json(res, 404, { error: 'This environment has no local mailbox.' });
  const to = url.searchParams.get('to') ?? '';
  const answer = await fetch(`${outputs.mailboxUrl}?to=${encodeURIComponent(to)}`, {
    headers: { accept: 'application/json' },
  });
  json(res, answer.status, await answer.json());
}

function outputsPlugin(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    serve(req, res, next).catch((error: Error) => json(res, 502, { error: error.message }));
  };
  return {
    name: 'auth-api-outputs',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  root: HERE,
  // Relative asset paths: the built app can be hosted under any path, with outputs.json beside it.
  base: './',
  plugins: [react(), outputsPlugin()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
