/**
 * What s3rver 3.7.1 gets wrong for this API, fixed in one Koa middleware placed just before its
 * router, plus two small substitutions. Each fix names the S3 behaviour it restores.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UploadBody, type BodyOptions } from './body';
import {
  AWSAccount,
  S3Error,
  S3Object,
  type FilesystemStore,
  type S3Context,
  type S3Middleware,
  type S3rverInstance,
  type StoredObject,
} from './s3rver';

const SSE_HEADERS = [
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-context',
  'x-amz-server-side-encryption-bucket-key-enabled',
];
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (x-amz-server-side-encryption)
const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];
const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

export function installFixes(server: S3rverInstance, now: () => number): void {
  // s3rver keeps only allow-listed request headers as metadata, and SSE is not on the list, so
  // HeadObject/GetObject never said how an object is encrypted. The list is module state; adding
  // to it is idempotent.
  for (const header of SSE_HEADERS) {
    if (!S3Object.ALLOWED_METADATA.includes(header)) S3Object.ALLOWED_METADATA.push(header);
  }
  server.store.putObject = atomicPutObject(server.store);
  const locks = new KeyLocks();
  const middleware: S3Middleware = async (ctx, next) => {
    const target = parseTarget(ctx.path);
    if (!target) return next();
    if ('X-Amz-Algorithm' in ctx.query) verifyPresignedUrl(ctx, now());
    if (target.key === undefined) {
      return ctx.method === 'GET' && ctx.query['list-type'] === '2'
        ? listObjectsV2(ctx, next, target.bucket)
        : next();
    }
    const key = target.key;
    const subresource = Object.keys(ctx.query).some((name) => !name.startsWith('X-Amz-') && name !== 'x-id');
    if (ctx.method === 'PUT' && 'uploadId' in ctx.query) {
      // UploadPart: parts of one object may arrive in parallel, so no key lock.
      prepareUpload(ctx);
      return next();
    }
    if (ctx.method === 'POST' && 'uploads' in ctx.query) {
      applyEncryption(ctx);
      return next();
    }
    // One request at a time per key makes a conditional write's check-then-write atomic, as S3's is,
    // and keeps readers from seeing an object and its metadata from two different writes.
    await locks.run(`${target.bucket}/${key}`, async () => {
      if (ctx.method === 'PUT' && !subresource) {
        applyEncryption(ctx);
        await checkPreconditions(ctx, server.store, target.bucket, key);
        const body = prepareUpload(ctx);
        await next();
        if (ctx.status === 200) {
          for (const header of SSE_HEADERS) {
            const value = ctx.headers[header];
            if (typeof value === 'string') ctx.set(header, value);
          }
          if (body?.verified) ctx.set(body.verified.header, body.verified.value);
        }
        return;
      }
      if (ctx.method === 'POST' && 'uploadId' in ctx.query) {
        await checkPreconditions(ctx, server.store, target.bucket, key);
      }
      await next();
    });
  };
  // The router is the last middleware; before it, the XML encoder and error handler are in place.
  server.middleware.splice(server.middleware.length - 1, 0, middleware);
}

function parseTarget(path: string): { bucket: string; key?: string } | undefined {
  // The SDK lists with a trailing slash (/bucket/?list-type=2).
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!match?.[1]) return undefined;
  try {
    return { bucket: decodeURIComponent(match[1]), key: match[2] ? decodeURIComponent(match[2]) : undefined };
  } catch {
    return undefined; // A malformed escape: s3rver's router gives its own answer.
  }
}

/**
 * Since January 2023 S3 encrypts every new object (SSE-S3, AES256) unless told otherwise, and
 * reports the encryption on PutObject, HeadObject and GetObject.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
 */
function applyEncryption(ctx: S3Context): void {
  const requested = ctx.headers['x-amz-server-side-encryption'];
  if (requested === undefined) {
    ctx.headers['x-amz-server-side-encryption'] = 'AES256';
  } else if (typeof requested !== 'string' || !SSE_ALGORITHMS.includes(requested)) {
    throw new S3Error('InvalidArgument', 'The encryption method specified is not supported', {
      ArgumentName: 'x-amz-server-side-encryption',
      ArgumentValue: String(requested),
    });
  }
}

/**
 * Conditional writes (S3, August and November 2024): `If-None-Match: *` writes only a new key,
 * `If-Match: <etag>` only over that exact object; otherwise 412, and 404 for If-Match on no object.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
async function checkPreconditions(ctx: S3Context, store: FilesystemStore, bucket: string, key: string) {
  const ifNoneMatch = ctx.get('if-none-match');
  const ifMatch = ctx.get('if-match');
  if (!ifNoneMatch && !ifMatch) return;
  const fail = (error: Error) => {
    // Read and discard the body, or the client sees a reset connection instead of the 412.
    ctx.req.resume();
    throw error;
  };
  if (ifNoneMatch && ifNoneMatch !== '*') {
    fail(
      new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented'),
    );
  }
  const etag = await store.getMetadata(bucket, key).then(
    (metadata) => metadata['etag'],
    () => undefined,
  );
  if (ifNoneMatch && etag !== undefined) {
    fail(preconditionFailed('If-None-Match'));
  }
  if (ifMatch) {
    if (etag === undefined) fail(new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key }));
    if (unquote(ifMatch) !== unquote(etag ?? '')) fail(preconditionFailed('If-Match'));
  }
}

function preconditionFailed(condition: string) {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}

const unquote = (etag: string) => etag.trim().replace(/^W\//, '').replace(/"/g, '');

/** Puts an UploadBody between the request and s3rver when the body needs decoding or checking. */
function prepareUpload(ctx: S3Context): UploadBody | undefined {
  const header = (name: string) => {
    const value = ctx.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const encodings = (header('content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const chunked =
    encodings.includes('aws-chunked') || (header('x-amz-content-sha256') ?? '').startsWith('STREAMING-');
  const trailer = header('x-amz-trailer')?.toLowerCase();
  const checksumHeader =
    trailer ??
    CHECKSUM_ALGORITHMS.map((a) => `x-amz-checksum-${a}`).find((name) => header(name) !== undefined);
  const contentMd5 = header('content-md5');
  if (!chunked && !checksumHeader && !contentMd5) return undefined;

  const options: BodyOptions = { chunked };
  if (checksumHeader) {
    options.checksum = {
      algorithm: checksumHeader.replace('x-amz-checksum-', ''),
      header: checksumHeader,
      expected: trailer ? undefined : header(checksumHeader),
    };
  }
  if (contentMd5) options.contentMd5 = contentMd5;
  if (chunked) {
    const decoded = Number(header('x-amz-decoded-content-length'));
    if (Number.isInteger(decoded)) {
      options.decodedLength = decoded;
      ctx.headers['content-length'] = String(decoded);
    }
    // S3 stores the object without the aws-chunked coding, or browsers would be told to undo it.
    const rest = encodings.filter((e) => e !== 'aws-chunked');
    if (rest.length) ctx.headers['content-encoding'] = rest.join(', ');
    else delete ctx.headers['content-encoding'];
  }
  const body = new UploadBody(options);
  const request = ctx.req;
  request.on('error', (error) => body.destroy(error));
  request.pipe(body);
  ctx.req = body;
  return body;
}

/**
 * s3rver writes an object in place and answers before the file is flushed: a reader could see a
 * truncated object, and a failed upload (bad checksum) left half an object behind. S3 is strongly
 * read-after-write consistent and stores nothing from a failed PUT, so write aside, then rename.
 */
function atomicPutObject(store: FilesystemStore): FilesystemStore['putObject'] {
  return async (object: StoredObject) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    // The suffix keeps the temporary file out of s3rver's listings (they match "._S3rver_object").
    const temporary = `${objectPath}.${randomUUID()}.partial`;
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    try {
      await pipeline(source ?? Readable.from([]), measure, createWriteStream(temporary));
      const digest = md5.digest('hex');
      await store.putMetadata(object.bucket, object.key, object.metadata, digest);
      await rename(temporary, objectPath);
      return { size, md5: digest };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  };
}

/**
 * Presigned URLs leave the server (they end up in browsers and apps), so they are checked the way
 * S3 checks them: SigV4 query signature over method, path, query and signed headers, and expiry
 * against the local clock (which tests may move). s3rver checks neither against a movable clock,
 * and never the signature.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
function verifyPresignedUrl(ctx: S3Context, nowMs: number): void {
  const q = (name: string) => {
    const value = ctx.query[name];
    return typeof value === 'string' ? value : '';
  };
  const amzDate = q('X-Amz-Date');
  const expires = Number(q('X-Amz-Expires'));
  const [accessKeyId, ...scopeParts] = q('X-Amz-Credential').split('/');
  const signedHeaders = q('X-Amz-SignedHeaders');
  const signature = q('X-Amz-Signature');
  const signedAt = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  if (Number.isNaN(signedAt) || !Number.isInteger(expires) || scopeParts.length !== 4 || !signature) {
    // Let s3rver produce its AuthorizationQueryParametersError for a malformed URL.
    return;
  }
  const expiresAt = signedAt + expires * 1000;
  if (nowMs > expiresAt) {
    throw new S3Error('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expires,
      Expires: new Date(expiresAt).toISOString().replace(/\.\d+/, ''),
      ServerTime: new Date(nowMs).toISOString().replace(/\.\d+/, ''),
    });
  }
  const secret = AWSAccount.registry.get(accessKeyId ?? '')?.accessKeys.get(accessKeyId ?? '');
  if (secret === undefined) return; // s3rver answers InvalidAccessKeyId.

  const canonicalQuery = ctx.querystring
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=');
      return [rfc3986(decodeQueryPart(name)), rfc3986(decodeQueryPart(value))] as const;
    })
    .filter(([name]) => name !== 'X-Amz-Signature')
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${ctx.get(name).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    ctx.method,
    ctx.path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = scopeParts.join('/');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key: Buffer = Buffer.from(`AWS4${secret}`);
  for (const part of scopeParts) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const provided = Buffer.from(signature, 'hex');
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your key and signing method.',
      { AWSAccessKeyId: accessKeyId ?? '' },
    );
  }
}

const decodeQueryPart = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * ListObjectsV2 in s3rver encrypts its continuation token with DES, which Node 20's OpenSSL 3
 * refuses, so any truncated listing crashed. It is served here through s3rver's V1 listing
 * (marker = start-after) and reshaped into the V2 answer, with an opaque token of our own.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
async function listObjectsV2(ctx: S3Context, next: () => Promise<void>, bucket: string): Promise<void> {
  const query = { ...ctx.query };
  const token = query['continuation-token'];
  const startAfter = query['start-after'];
  const fetchOwner = query['fetch-owner'] === 'true';
  for (const name of ['list-type', 'continuation-token', 'start-after', 'fetch-owner']) delete query[name];
  let marker = typeof startAfter === 'string' ? startAfter : undefined;
  if (typeof token === 'string') {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!decoded.startsWith(`${bucket}/`)) {
      throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
        ArgumentName: 'continuation-token',
      });
    }
    marker = decoded.slice(bucket.length + 1);
  }
  if (marker) query['marker'] = marker;
  ctx.query = query;
  await next();

  const result = (ctx.body as { ListBucketResult?: Record<string, unknown> } | undefined)?.ListBucketResult;
  if (!result) return;
  const contents = (result['Contents'] as Record<string, unknown>[]).map((entry) => {
    if (fetchOwner) return entry;
    const { Owner: _owner, ...rest } = entry;
    return rest;
  });
  const prefixes = result['CommonPrefixes'] as { Prefix: string }[];
  const last = [...contents.map((c) => String(c['Key'])), ...prefixes.map((p) => p.Prefix)].sort().at(-1);
  ctx.body = {
    ListBucketResult: {
      '@': result['@'],
      Name: result['Name'],
      Prefix: result['Prefix'],
      StartAfter: typeof token === 'string' ? undefined : startAfter,
      ContinuationToken: token,
      NextContinuationToken:
        result['IsTruncated'] && last ? Buffer.from(`${bucket}/${last}`).toString('base64url') : undefined,
      KeyCount: contents.length + prefixes.length,
      MaxKeys: result['MaxKeys'],
      Delimiter: result['Delimiter'],
      IsTruncated: result['IsTruncated'],
      Contents: contents,
      CommonPrefixes: prefixes,
    },
  };
}

/** A promise chain per key: each request on a key starts when the previous one has finished. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
