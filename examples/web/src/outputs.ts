/** The API this page talks to: outputs.json beside the page (served by outputs-plugin.ts or copied there). */
export interface Outputs {
  graphqlUrl: string;
  apiKey: string;
  /** Only the local stack has one. */
  mailboxUrl?: string;
}

export async function loadOutputs(): Promise<Outputs> {
  const answer = await fetch('outputs.json', { cache: 'no-store' });
  const body = (await answer.json()) as Partial<Outputs> & { error?: string };
  if (!answer.ok || typeof body.graphqlUrl !== 'string' || typeof body.apiKey !== 'string') {
    throw new Error(body.error ?? 'outputs.json has no graphqlUrl or apiKey.');
  }
  return body as Outputs;
}
