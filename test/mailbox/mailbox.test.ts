/**
 * Contract tests for the local mailbox: what the local Cognito hands to `send`, and what scripts
 * (JSON over fetch) and people (the HTML page) get back from the mailbox URL (README, "Local Cognito, S3 and mailbox").
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMailbox,
  startMailboxServer,
  type Mailbox,
  type MailboxServer,
  type OutgoingMessage,
} from '../../local/mailbox';

let dataDir: string;
let mailbox: Mailbox;
let server: MailboxServer;
const lines: string[] = [];

const invitation = (to: string, code = 'Tmp-Pass-123456'): OutgoingMessage => ({
  to,
  subject: 'Your new account',
  text: `An account was created for ${to}. Your temporary password is ${code} .`,
  code,
  kind: 'invitation',
});

interface JsonMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  code: string;
  receivedAt: string;
}

async function getJson(query = ''): Promise<JsonMessage[]> {
  const response = await fetch(`${server.url}${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return ((await response.json()) as { messages: JsonMessage[] }).messages;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mailbox-'));
  mailbox = createMailbox({ dataDir, log: (line) => lines.push(line) });
  server = await startMailboxServer(mailbox);
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  mailbox.clear();
  lines.length = 0;
});

describe('mailbox', () => {
  it('serves every message as JSON, oldest first, with the fields the README documents', async () => {
    await mailbox.send(invitation('ana@example.com', 'first-code'));
    await mailbox.send({
      to: 'ben@example.com',
      subject: 'Your verification code',
      text: 'Your verification code is 123456 .',
      code: '123456',
      kind: 'verification',
    });
    const messages = await getJson();
    expect(messages.map((m) => m.code)).toEqual(['first-code', '123456']);
    expect(messages[0]).toMatchObject({
      to: 'ana@example.com',
      subject: 'Your new account',
      text: expect.stringContaining('first-code'),
    });
    for (const m of messages) {
      expect(Object.keys(m)).toEqual(
        expect.arrayContaining(['id', 'to', 'subject', 'text', 'code', 'receivedAt']),
      );
      expect(new Date(m.receivedAt).toISOString()).toBe(m.receivedAt);
    }
    expect(new Set(messages.map((m) => m.id)).size).toBe(2);
  });

  it('mailbox filters by recipient case-insensitively', async () => {
    await mailbox.send(invitation('Jane.Doe@Example.com'));
    await mailbox.send(invitation('someone@example.com'));
    const messages = await getJson(`?to=${encodeURIComponent('jane.doe@EXAMPLE.com')}`);
    expect(messages.map((m) => m.to)).toEqual(['Jane.Doe@Example.com']);
    expect(mailbox.messages({ to: 'JANE.DOE@example.com' })).toHaveLength(1);
  });

  it('prints each message as one readable line with its code', async () => {
    await mailbox.send(invitation('jane@example.com', 'Ab3-temporary'));
    expect(lines).toEqual(['✉  invitation → jane@example.com: "Your new account" (code: Ab3-temporary)']);
  });

  it('cannot be made to print a second log line', async () => {
    await mailbox.send({ ...invitation('a@example.com'), subject: 'Hi\n✉  invitation → forged' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
  });

  it('keeps messages across a restart', async () => {
    await mailbox.send(invitation('kept@example.com', 'kept-code'));
    const reopened = createMailbox({ dataDir, log: () => {} });
    expect(reopened.messages().map((m) => m.code)).toEqual(['kept-code']);
    const file = JSON.parse(await readFile(join(dataDir, 'messages.json'), 'utf8')) as {
      messages: unknown[];
    };
    expect(file.messages).toHaveLength(1);
  });

  it('DELETE clears the mailbox', async () => {
    await mailbox.send(invitation('gone@example.com'));
    const response = await fetch(server.url, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await getJson()).toEqual([]);
    expect(createMailbox({ dataDir, log: () => {} }).messages()).toEqual([]);
  });

  it('refuses other methods with 405', async () => {
    const response = await fetch(server.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, DELETE');
  });

  it('is never cached: answers carry live temporary passwords', async () => {
    const response = await fetch(server.url);
    expect(response.headers.get('cache-control')).toBe('no-store');
    await response.body?.cancel();
  });

  it('serves a self-contained page, newest first, to a browser', async () => {
    await mailbox.send(invitation('older@example.com', 'older-code'));
    await mailbox.send(invitation('newer@example.com', 'newer-code'));
    const response = await fetch(server.url, {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html.indexOf('newer-code')).toBeGreaterThan(0);
    expect(html.indexOf('newer-code')).toBeLessThan(html.indexOf('older-code'));
    // Self-contained: nothing fetched from elsewhere.
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import/i);
  });

  it('mailbox page escapes HTML', async () => {
    await mailbox.send({
      to: 'x@example.com',
      subject: '<script>alert(1)</script>',
      text: '<img src=x onerror=alert(2)> & "quotes"',
      code: '<b>code</b>',
      kind: 'password-reset',
    });
    const html = await (
      await fetch(`${server.url}?to=%22%3E%3Cscript%3E`, { headers: { accept: 'text/html' } })
    ).text();
    expect(html).not.toContain('<script>');
    const all = await (await fetch(server.url, { headers: { accept: 'text/html' } })).text();
    expect(all).not.toContain('<script>');
    expect(all).not.toContain('<img');
    expect(all).not.toContain('<b>code');
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all).toContain('&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;');
  });

  it('keeps 50 messages sent at once, each exactly once', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => mailbox.send(invitation(`user${i}@example.com`, `c${i}`))),
    );
    const codes = (await getJson()).map((m) => m.code).sort();
    expect(codes).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`).sort());
    expect(createMailbox({ dataDir, log: () => {} }).messages()).toHaveLength(50);
  });
});
