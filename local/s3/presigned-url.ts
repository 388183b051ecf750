/**
 * Presigned URLs leave the server (they end up in browsers and apps), so they are checked the way
 * S3 checks them: SigV4 query signature over method, path, query and signed headers, and expiry
 * against the local clock (which tests may move). s3rver checks neither against a movable clock,
 * and never the signature.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AWSAccount, S3Error, type S3Context } from './s3rver';

export function verifyPresignedUrl(ctx: S3Context, nowMs: number): void {
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
