/**
 * Server-side encryption headers, kept and echoed as S3 does. Since January 2023 S3 encrypts every
 * new object (SSE-S3, AES256) unless told otherwise, and reports the encryption on PutObject,
 * HeadObject and GetObject. The bytes themselves are stored in clear: only the headers are honoured.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
 */
import { S3Error, S3Object, type S3Context } from './s3rver';

const SSE_HEADERS = [
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-context',
  'x-amz-server-side-encryption-bucket-key-enabled',
];
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (x-amz-server-side-encryption)
const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

/**
 * s3rver keeps only allow-listed request headers as metadata, and SSE is not on the list, so
 * HeadObject/GetObject never said how an object is encrypted. The list is module state; adding
 * to it is idempotent.
 */
export function keepEncryptionMetadata(): void {
  for (const header of SSE_HEADERS) {
    if (!S3Object.ALLOWED_METADATA.includes(header)) S3Object.ALLOWED_METADATA.push(header);
  }
}

/** Defaults a write to AES256 when it asks for no encryption; refuses an algorithm S3 does not know. */
export function applyEncryption(ctx: S3Context): void {
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

/** PutObject's answer repeats the encryption the object was stored with. */
export function echoEncryption(ctx: S3Context): void {
  for (const header of SSE_HEADERS) {
    const value = ctx.headers[header];
    if (typeof value === 'string') ctx.set(header, value);
  }
}
