/** The local mailbox, read through the page's own origin (outputs-plugin.ts relays it). */
export type MailKind = 'invitation' | 'verification' | 'password-reset';

interface Message {
  to: string;
  kind: MailKind;
  code: string;
  receivedAt: string;
}

/** The newest code of that kind sent to `email` since `since` (ms), if the mailbox has one. */
export async function newestCode(email: string, kind: MailKind, since: number): Promise<string | undefined> {
  const answer = await fetch(`local-mailbox?to=${encodeURIComponent(email)}`, { cache: 'no-store' });
  if (!answer.ok) return undefined;
  const { messages } = (await answer.json()) as { messages: Message[] };
  return messages.filter((m) => m.kind === kind && Date.parse(m.receivedAt) >= since).at(-1)?.code;
}
