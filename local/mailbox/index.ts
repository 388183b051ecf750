/**
 * The local mailbox: where every e-mail the local Cognito would have sent ends up, like the mail
 * catchers of other local stacks (MailHog, Mailpit). Scripts read it as JSON, people in a browser,
 * and each message is also printed as one line on the console.
 *
 * It holds temporary passwords and codes in clear. That is its purpose on a laptop, and the reason
 * it exists only in local/: nothing deployed ever imports it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { MessageSender, OutgoingMessage, StoredMessage } from './message';

export type { MessageSender, OutgoingMessage, StoredMessage } from './message';

export interface MailboxOptions {
  /** Directory for messages.json; created if missing, kept across restarts. */
  dataDir: string;
  /** Where the one-line notice of each message goes; console.log by default. */
  log?: (line: string) => void;
  /** Oldest messages are dropped beyond this many, so a long-lived stack stays small. Default 1000. */
  maxMessages?: number;
}

export interface Mailbox {
  /** Hand this to the local Cognito: it stores, persists and announces the message. */
  send: MessageSender;
  /** Oldest first; `to` matches case-insensitively, as e-mail addresses do in the pool. */
  messages(filter?: { to?: string }): StoredMessage[];
  clear(): void;
  /**
   * HTTP handler for the mailbox URL (the path is ignored, so it can be mounted anywhere):
   * GET/HEAD → JSON `{ messages: [...] }` oldest first, or an HTML page (newest first) when the
   * client prefers text/html; `?to=` filters. DELETE clears (204). Anything else: 405.
   */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

export function createMailbox(options: MailboxOptions): Mailbox {
  const log = options.log ?? ((line: string) => console.log(line));
  const maxMessages = options.maxMessages ?? 1000;
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'messages.json');
  let stored = load(file);

  // Written whole and renamed, so a crash mid-write never leaves a half file behind.
  const persist = () => {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ messages: stored }, null, 2));
    renameSync(temporary, file);
  };

  const messages = (filter?: { to?: string }) => {
    const to = filter?.to?.trim().toLowerCase();
    return stored.filter((m) => !to || m.to.toLowerCase() === to);
  };

  const clear = () => {
    stored = [];
    persist();
  };

  const send: MessageSender = async (message) => {
    const entry: StoredMessage = Object.freeze({
      id: randomUUID(),
      to: message.to,
      subject: message.subject,
      text: message.text,
      code: message.code,
      kind: message.kind,
      receivedAt: new Date().toISOString(),
    });
    stored = [...stored, entry].slice(-maxMessages);
    persist();
    log(consoleLine(entry));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // No store: the answers carry live temporary passwords. nosniff and a CSP that allows no
    // script or remote asset keep the page inert even if a message were crafted to attack it.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const url = new URL(req.url ?? '/', 'http://mailbox.invalid');
    switch (req.method) {
      case 'GET':
      case 'HEAD': {
        const to = url.searchParams.get('to') ?? undefined;
        const list = messages({ to });
        if (prefersHtml(req.headers.accept)) {
          res.setHeader(
            'Content-Security-Policy',
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
          );
          return reply(req, res, 200, 'text/html; charset=utf-8', page(list, to));
        }
        const body = JSON.stringify({ messages: list.map(toJson) }, null, 2);
        return reply(req, res, 200, 'application/json; charset=utf-8', body);
      }
      case 'DELETE':
        clear();
        res.writeHead(204).end();
        return;
      default:
        res.setHeader('Allow', 'GET, HEAD, DELETE');
        return reply(
          req,
          res,
          405,
          'application/json; charset=utf-8',
          JSON.stringify({ error: 'Method not allowed' }),
        );
    }
  };

  return { send, messages: (filter) => messages(filter), clear, handle };
}

export interface MailboxServer {
  /** The mailbox URL, e.g. http://127.0.0.1:41234/mailbox (mounted where the main local server mounts it). */
  url: string;
  close(): Promise<void>;
}

/** The mailbox on its own HTTP server, at /mailbox, for tests and standalone use. */
export async function startMailboxServer(
  mailbox: Mailbox,
  options: { port?: number; host?: string } = {},
): Promise<MailboxServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mailbox.invalid').pathname;
    if (path === '/mailbox' || path === '/mailbox/') return mailbox.handle(req, res);
    res
      .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end('Not found: the mailbox is at /mailbox\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/mailbox`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function load(file: string): StoredMessage[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as { messages?: unknown };
    if (!Array.isArray(parsed.messages)) throw new Error('no "messages" array');
    return (parsed.messages as StoredMessage[]).map((m) => Object.freeze(m));
  } catch (error) {
    throw new Error(
      `Mailbox file ${file} is unreadable (${(error as Error).message}); delete it to start empty`,
    );
  }
}

/** The JSON shape the README documents for `mailboxUrl`: the fields scripts rely on, plus `kind`. */
function toJson(m: StoredMessage) {
  return {
    id: m.id,
    to: m.to,
    subject: m.subject,
    text: m.text,
    code: m.code,
    kind: m.kind,
    receivedAt: m.receivedAt,
  };
}

/**
 * `✉  invitation → jane@example.com: "Your new account" (code: Ab3…)`. Control characters are
 * replaced so that an address or subject can never forge a second log line.
 */
export function consoleLine(m: OutgoingMessage): string {
  // Control characters are exactly what this pattern is for.
  // eslint-disable-next-line no-control-regex
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '�');
  return `✉  ${m.kind} → ${clean(m.to)}: "${clean(m.subject)}" (code: ${clean(m.code)})`;
}

function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const quality = (type: string) => {
    for (const part of accept.split(',')) {
      const [name, ...params] = part.trim().split(';');
      if (name?.trim().toLowerCase() !== type) continue;
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return q ? Number(q.slice(2)) || 0 : 1;
    }
    return 0;
  };
  // Browsers send text/html first and */* last; scripts send application/json or */*.
  return quality('text/html') > quality('application/json');
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A page for people: newest first, like the list view of MailHog or Mailpit. */
function page(list: StoredMessage[], to: string | undefined): string {
  const items = [...list]
    .reverse()
    .map(
      (m) => `<article>
  <header>
    <span class="kind">${escapeHtml(m.kind)}</span>
    <strong>${escapeHtml(m.subject)}</strong>
    <time datetime="${escapeHtml(m.receivedAt)}">${escapeHtml(m.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>
  </header>
  <p class="to">To: ${escapeHtml(m.to)}</p>
  <p class="code">Code: <code>${escapeHtml(m.code)}</code></p>
  <pre>${escapeHtml(m.text)}</pre>
</article>`,
    )
    .join('\n');
  const filter = to
    ? `<p>Showing messages to <strong>${escapeHtml(to)}</strong>. <a href="?">Show all</a></p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox (${list.length})</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1rem; color: #1f2328; }
  h1 { font-size: 1.4rem; }
  form { margin: 1rem 0; display: flex; gap: .5rem; }
  input { flex: 1; padding: .3rem .5rem; font: inherit; }
  article { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; }
  header { display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
  time { margin-left: auto; color: #59636e; font-size: .85rem; }
  .kind { background: #ddf4ff; border-radius: 1rem; padding: 0 .6rem; font-size: .8rem; }
  .to { margin: .25rem 0; color: #59636e; }
  .code code { font-size: 1.1rem; background: #fff8c5; padding: .1rem .4rem; user-select: all; }
  pre { white-space: pre-wrap; background: #f6f8fa; padding: .5rem; margin: .5rem 0 0; }
  .empty { color: #59636e; }
</style>
</head>
<body>
<h1>Local mailbox</h1>
<p>E-mails the local Cognito would have sent, newest first. Reload for new ones; clear with
<code>curl -X DELETE</code> on this URL. JSON for scripts: request it with <code>Accept: application/json</code>.</p>
<form method="get"><input type="email" name="to" placeholder="Filter by recipient" value="${escapeHtml(to ?? '')}"><button>Filter</button></form>
${filter}
${items || '<p class="empty">No messages yet.</p>'}
</body>
</html>
`;
}
