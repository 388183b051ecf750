/**
 * Conditional writes (S3, August and November 2024): `If-None-Match: *` writes only a new key,
 * `If-Match: <etag>` only over that exact object; otherwise 412, and 404 for If-Match on no object.
 * The check is atomic only because fixes.ts runs it under the key's lock (key-locks.ts).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
import { S3Error, type FilesystemStore, type S3Context } from './s3rver';

export async function checkPreconditions(
  ctx: S3Context,
  store: FilesystemStore,
  bucket: string,
  key: string,
) {
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
