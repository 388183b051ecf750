/**
 * A loopback proxy in front of the local S3 for provisioning.test.ts. s3rver answers CreateBucket,
 * ListBuckets, ListObjectsV2, DeleteObjects and DeleteBucket, but NotImplemented to the bucket
 * settings aws-bucket.ts makes (PutPublicAccessBlock, PutBucketEncryption, PutBucketTagging) and to
 * ListMultipartUploads. The proxy answers those four as S3 answers them when they succeed (nothing
 * is configured: it only records what was asked, for the test to check) and forwards the rest.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  bucket: string;
  /** publicAccessBlock, encryption, tagging or uploads. */
  subresource: string;
  body: string;
}

export interface S3GapProxy {
  endpoint: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

const ANSWERED: Record<string, { method: string; status: number }> = {
  publicAccessBlock: { method: 'PUT', status: 200 },
  encryption: { method: 'PUT', status: 200 },
  tagging: { method: 'PUT', status: 204 },
  uploads: { method: 'GET', status: 200 },
};

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
};

export async function startS3GapProxy(target: string): Promise<S3GapProxy> {
  const upstream = new URL(target);
  const calls: RecordedCall[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    const segments = url.pathname.split('/').filter(Boolean);
    const subresource = Object.keys(ANSWERED).find(
      (name) => url.searchParams.has(name) && ANSWERED[name]?.method === req.method,
    );
    // Bucket-level calls only (path-style: /bucket?subresource).
    if (subresource && segments.length === 1) {
      void readBody(req).then((body) => {
        const bucket = segments[0] as string;
        calls.push({ method: req.method as string, bucket, subresource, body });
        const status = ANSWERED[subresource]?.status ?? 200;
        const xml =
          subresource === 'uploads'
            ? `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${bucket}</Bucket>` +
              '<IsTruncated>false</IsTruncated></ListMultipartUploadsResult>'
            : '';
        res.writeHead(status, xml ? { 'content-type': 'application/xml' } : {}).end(xml);
      });
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (error) => res.writeHead(502).end(error.message));
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
