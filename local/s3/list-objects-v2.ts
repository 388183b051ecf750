/**
 * ListObjectsV2 in s3rver encrypts its continuation token with DES, which Node 20's OpenSSL 3
 * refuses, so any truncated listing crashed. It is served here through s3rver's V1 listing
 * (marker = start-after) and reshaped into the V2 answer, with an opaque token of our own.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import { S3Error, type S3Context } from './s3rver';

export async function listObjectsV2(
  ctx: S3Context,
  next: () => Promise<void>,
  bucket: string,
): Promise<void> {
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
