/**
 * Contract tests for the local S3: the AWS SDK (configured only by localS3ClientConfig) and plain
 * fetch, the way the API's functions and a browser reach it. Each test names one S3 behaviour.
 * With CONTRACT_TARGET=aws they run against a throw-away real bucket (./s3-under-test.ts); the
 * tests that need the stand-in are declared localOnly, with the reason.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3ClientConfig, startLocalS3 } from '../../local/s3';
import { localOnly, onAws } from '../contract/target';
import { startS3UnderTest, type S3UnderTest } from './s3-under-test';

/** The local bucket; on AWS the throw-away bucket's name (set in beforeAll). */
let BUCKET = 'mfa-qr-codes';
// A tiny valid PNG header plus random bytes: content is opaque to S3, the type is what matters.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2048)]);

let dataDir: string;
let s3: S3UnderTest;
let client: S3Client;
let clockOffsetMs = 0;

/** Plain requests with no signature: only the stand-in takes them; S3 answers 403 to anonymous writes. */
const UNSIGNED = 'sends an unsigned request, which S3 refuses (403) before looking at its body';
const RESTART = 'restarts the stand-in on the same data directory';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-s3-'));
  s3 = await startS3UnderTest({ dataDir, bucket: BUCKET, now: () => Date.now() + clockOffsetMs });
  client = s3.client;
  BUCKET = s3.bucket;
});

afterAll(async () => {
  await s3?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const objectUrl = (key: string) => `${s3.endpoint}/${BUCKET}/${key}`;

async function getBytes(key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** The S3 error an SDK call fails with: name (S3's error code) and HTTP status. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) {
      return { name: error.name, status: error.$metadata.httpStatusCode };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** An S3 XML error document's Code and Message. */
async function s3ErrorOf(response: Response): Promise<{ status: number; code?: string; message?: string }> {
  const xml = await response.text();
  return {
    status: response.status,
    code: /<Code>([^<]*)<\/Code>/.exec(xml)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(xml)?.[1],
  };
}

describe('uploads', () => {
  it('stores an SDK streaming upload byte for byte', async () => {
    // With default settings the SDK sends a stream as aws-chunked with a CRC32 trailer
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html); s3rver alone stored
    // the framing. The client here has no checksum setting: the server must decode it.
    const payload = randomBytes(300 * 1024);
    const chunks = Array.from({ length: 10 }, (_, i) => payload.subarray(i * 30 * 1024, (i + 1) * 30 * 1024));
    const put = await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'stream.bin',
        Body: Readable.from(chunks),
        ContentLength: payload.length,
      }),
    );
    expect(put.ETag).toBe(`"${md5(payload)}"`);
    expect(put.ChecksumCRC32).toBeDefined();

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'stream.bin' }));
    expect(head.ContentLength).toBe(payload.length);
    expect(head.ContentEncoding).toBeUndefined();
    expect((await getBytes('stream.bin')).equals(payload)).toBe(true);
  });

  it('stores a Buffer upload with its checksum header byte for byte', async () => {
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'buffer.png', Body: PNG, ContentType: 'image/png' }),
    );
    expect((await getBytes('buffer.png')).equals(PNG)).toBe(true);
  });

  localOnly(UNSIGNED)('decodes a signed aws-chunked upload', async () => {
    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD framing: each chunk carries a chunk-signature extension.
    const sig = 'a'.repeat(64);
    const body = `5;chunk-signature=${sig}\r\nhello\r\n6;chunk-signature=${sig}\r\n world\r\n0;chunk-signature=${sig}\r\n\r\n`;
    const response = await fetch(objectUrl('signed-chunked.txt'), {
      method: 'PUT',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'x-amz-decoded-content-length': '11',
        'content-type': 'text/plain',
      },
      body,
    });
    expect(response.status).toBe(200);
    expect((await getBytes('signed-chunked.txt')).toString()).toBe('hello world');
  });

  localOnly(UNSIGNED)('refuses an upload whose checksum does not match and stores nothing', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html: BadDigest.
    const response = await fetch(objectUrl('corrupt.bin'), {
      method: 'PUT',
      headers: { 'x-amz-checksum-crc32': 'AAAAAA==' },
      body: 'some bytes',
    });
    expect(await s3ErrorOf(response)).toMatchObject({ status: 400, code: 'BadDigest' });
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'corrupt.bin' })))).toEqual(
      {
        name: 'NotFound',
        status: 404,
      },
    );
  });

  localOnly(UNSIGNED)('refuses a chunked upload whose trailing checksum does not match', async () => {
    const response = await fetch(objectUrl('corrupt-chunked.bin'), {
      method: 'PUT',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '5',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      body: '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n',
    });
    expect(await s3ErrorOf(response)).toMatchObject({ status: 400, code: 'BadDigest' });
  });

  it('stores a multipart upload byte for byte', async () => {
    // Parts go through the same body decoding: part 2 is a stream, so it is sent aws-chunked.
    const part1 = randomBytes(5 * 1024 * 1024);
    const part2 = randomBytes(1000);
    const Key = 'multipart.png';
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key, ContentType: 'image/png' }),
    );
    const first = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: part1 }),
    );
    const second = await client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key,
        UploadId,
        PartNumber: 2,
        Body: Readable.from([part2]),
        ContentLength: part2.length,
      }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first.ETag },
            { PartNumber: 2, ETag: second.ETag },
          ],
        },
      }),
    );
    expect((await getBytes(Key)).equals(Buffer.concat([part1, part2]))).toBe(true);
  });

  localOnly(RESTART)('keeps objects across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'local-s3-restart-'));
    try {
      const first = await startLocalS3({ dataDir: dir, buckets: ['restart-bucket'] });
      const firstClient = new S3Client(localS3ClientConfig(first.endpoint));
      await firstClient.send(new PutObjectCommand({ Bucket: 'restart-bucket', Key: 'k', Body: 'kept' }));
      firstClient.destroy();
      await first.close();

      const second = await startLocalS3({ dataDir: dir, buckets: ['restart-bucket'] });
      const secondClient = new S3Client(localS3ClientConfig(second.endpoint));
      const object = await secondClient.send(new GetObjectCommand({ Bucket: 'restart-bucket', Key: 'k' }));
      expect(await object.Body!.transformToString()).toBe('kept');
      secondClient.destroy();
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('server-side encryption', () => {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (x-amz-server-side-encryption)
  it.for(['AES256', 'aws:kms'] as const)('echoes server-side encryption %s', async (algorithm, { skip }) => {
    skip(onAws && algorithm === 'aws:kms', 'local only: names a made-up KMS key, which S3 refuses');
    const key = `sse-${algorithm.replace(':', '-')}.png`;
    const kmsKeyId = algorithm === 'aws:kms' ? 'arn:aws:kms:us-east-1:000000000000:key/local' : undefined;
    const put = await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: PNG,
        ServerSideEncryption: algorithm,
        SSEKMSKeyId: kmsKeyId,
      }),
    );
    expect(put.ServerSideEncryption).toBe(algorithm);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ServerSideEncryption).toBe(algorithm);
    expect(head.SSEKMSKeyId).toBe(kmsKeyId);
    const get = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(get.ServerSideEncryption).toBe(algorithm);
    await get.Body!.transformToByteArray();
  });

  it('encrypts with SSE-S3 when no encryption is requested', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'default-sse.txt', Body: 'x' }));
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'default-sse.txt' }));
    expect(head.ServerSideEncryption).toBe('AES256');
  });

  localOnly(UNSIGNED)('refuses an unknown server-side encryption algorithm', async () => {
    const response = await fetch(objectUrl('bad-sse.txt'), {
      method: 'PUT',
      headers: { 'x-amz-server-side-encryption': 'rot13' },
      body: 'x',
    });
    expect(await s3ErrorOf(response)).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });
});

describe('presigned URLs', () => {
  async function presignedQr(key: string, expiresIn = 300): Promise<string> {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: PNG,
        ContentType: 'image/png',
        ServerSideEncryption: 'AES256',
      }),
    );
    return getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn });
  }

  it('serves a presigned GET to a plain HTTP client as image/png', async () => {
    const url = await presignedQr('qr/open.png');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
  });

  localOnly("moves the stand-in's clock past the URL's expiry")('presigned URL expires', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html:
    // after X-Amz-Expires, S3 answers 403 AccessDenied "Request has expired".
    const url = await presignedQr('qr/expires.png', 60);
    expect((await fetch(url)).status).toBe(200);
    clockOffsetMs = 61_000;
    try {
      expect(await s3ErrorOf(await fetch(url))).toEqual({
        status: 403,
        code: 'AccessDenied',
        message: 'Request has expired',
      });
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('refuses a presigned URL whose expiry was lengthened', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
    const url = new URL(await presignedQr('qr/tampered.png', 60));
    url.searchParams.set('X-Amz-Expires', '604800');
    expect(await s3ErrorOf(await fetch(url))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a presigned URL pointed at another key', async () => {
    await presignedQr('qr/other.png');
    const url = new URL(await presignedQr('qr/mine.png'));
    url.pathname = url.pathname.replace('mine.png', 'other.png');
    expect(await s3ErrorOf(await fetch(url))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });
});

describe('delete and list', () => {
  it('deletes an object', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'qr/delete-me.png', Body: PNG }));
    const deleted = await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'qr/delete-me.png' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(
      await failure(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'qr/delete-me.png' }))),
    ).toEqual({
      name: 'NoSuchKey',
      status: 404,
    });
  });

  it('lists every object with a paginated ListObjectsV2', async () => {
    // s3rver's own continuation tokens use DES, which Node 20's OpenSSL refuses.
    const keys = Array.from({ length: 5 }, (_, i) => `listing/user-1/${i}.png`);
    await Promise.all(
      keys.map((Key) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'x' }))),
    );
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client, pageSize: 2 },
      { Bucket: BUCKET, Prefix: 'listing/user-1/' },
    )) {
      pages++;
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(keys);
  });
});

describe('conditional writes', () => {
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
  it('second conditional put of the same key fails with 412', async () => {
    const put = (Body: string) =>
      client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'codes/used-1', Body, IfNoneMatch: '*' }));
    await put('first');
    expect(await failure(put('second'))).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect((await getBytes('codes/used-1')).toString()).toBe('first');
  });

  it('exactly one of 20 concurrent conditional puts to one key succeeds', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        client.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: 'codes/race', Body: `writer ${i}`, IfNoneMatch: '*' }),
        ),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers.map((r) => (r.reason as S3ServiceException).$metadata.httpStatusCode)).toEqual(
      Array(19).fill(412),
    );
  });

  it('put with a stale If-Match ETag fails with 412 and the current one succeeds', async () => {
    const first = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'codes/cas', Body: 'v1' }));
    const second = await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'codes/cas', Body: 'v2', IfMatch: first.ETag }),
    );
    expect(
      await failure(
        client.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: 'codes/cas', Body: 'v3', IfMatch: first.ETag }),
        ),
      ),
    ).toEqual({ name: 'PreconditionFailed', status: 412 });
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'codes/cas', Body: 'v3', IfMatch: second.ETag }),
    );
    expect((await getBytes('codes/cas')).toString()).toBe('v3');
  });

  it('put with If-Match on a missing key fails with 404', async () => {
    expect(
      await failure(
        client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'codes/none', Body: 'x', IfMatch: '"abc"' })),
      ),
    ).toEqual({ name: 'NoSuchKey', status: 404 });
  });
});
