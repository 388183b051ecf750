/**
 * What s3rver 3.7.1 gets wrong for this API, fixed in one Koa middleware placed just before its
 * router, plus two small substitutions (SSE headers kept as metadata, an atomic object writer).
 * This file routes each request to its fixes; each fix lives in a file named for the S3 behaviour
 * it restores: encryption.ts, conditional-writes.ts (under key-locks.ts), body.ts (aws-chunked
 * bodies and checksums), atomic-put.ts, presigned-url.ts, list-objects-v2.ts.
 */
import { atomicPutObject } from './atomic-put';
import { prepareUpload } from './body';
import { checkPreconditions } from './conditional-writes';
import { applyEncryption, echoEncryption, keepEncryptionMetadata } from './encryption';
import { KeyLocks } from './key-locks';
import { listObjectsV2 } from './list-objects-v2';
import { verifyPresignedUrl } from './presigned-url';
import type { S3Middleware, S3rverInstance } from './s3rver';

export function installFixes(server: S3rverInstance, now: () => number): void {
  keepEncryptionMetadata();
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
          echoEncryption(ctx);
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
