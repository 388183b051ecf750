/**
 * What the link puts on the wire: a fetch that records each request's root fields, credential
 * headers and HTTP status, then sends it on to the local stack unchanged.
 */
import { Kind, parse } from 'graphql';
import { enrolUser, type Api, type EnrolledUser } from '../api/harness';

export interface Sent {
  /** Root fields of the document sent, e.g. ['userinfo']. */
  fields: string[];
  apiKey: string | null;
  authorization: string | null;
  status?: number;
}

export function recordingFetch(): { fetch: typeof fetch; sent: Sent[]; count(field: string): number } {
  const sent: Sent[] = [];
  const recorded: typeof fetch = async (input, init) => {
    const { query } = JSON.parse(String(init?.body)) as { query: string };
    const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const headers = new Headers(init?.headers);
    const entry: Sent = {
      fields: (operation?.selectionSet.selections ?? []).flatMap((s) =>
        s.kind === Kind.FIELD ? [s.name.value] : [],
      ),
      apiKey: headers.get('x-api-key'),
      authorization: headers.get('authorization'),
    };
    sent.push(entry);
    const response = await fetch(input, init);
    entry.status = response.status;
    return response;
  };
  return {
    fetch: recorded,
    sent,
    count: (field) => sent.filter((s) => s.fields.includes(field)).length,
  };
}

const HOUR = 3_600_000;

/**
 * An account enrolled two hours ago: its access token (one hour) has expired by every clock, the
 * local AppSync's real one included, and its refresh token (a day) is still good. This is the tab
 * left open over lunch, without waiting for it.
 */
export async function enrolledTwoHoursAgo(api: Api): Promise<EnrolledUser> {
  api.advance(-2 * HOUR);
  try {
    return await enrolUser(api);
  } finally {
    api.advance(2 * HOUR);
  }
}
