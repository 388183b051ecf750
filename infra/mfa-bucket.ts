/**
 * The MFA bucket: QR codes while an authenticator is enrolled and the hashes of recovery codes.
 * Private, TLS-only and unversioned; a lifecycle rule expires the QR codes that enrolment never
 * consumed. Made in the stack's own scope, so its construct path and logical id stay the stack's.
 */
import { Duration, type RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { QR_PREFIX } from '../functions/domain/authenticator';
import { RECOVERY_PREFIX } from '../functions/domain/recovery-codes';
import { MFA_BUCKET_ID } from './operation-function';
import type { Settings } from './settings';

// Where the MFA functions keep things in the bucket, defined next to the keys. Only QR codes expire:
// recovery hashes must last.
export { QR_PREFIX, RECOVERY_PREFIX };

export function addMfaBucket(stack: Stack, settings: Settings, removalPolicy: RemovalPolicy): Bucket {
  const bucket = new Bucket(stack, MFA_BUCKET_ID, {
    // SSE-S3 (AES-256): the objects are short-lived QR codes and hashes, reachable only through the
    // functions' roles; SSE-KMS would add a per-request KMS charge and a key policy to every
    // presigned GET without narrowing who can read an object.
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    // No versioning: a noncurrent version of a QR code is a TOTP secret that outlives its deletion.
    versioned: false,
    lifecycleRules: [
      {
        id: 'expire-unconsumed-qr-codes',
        prefix: QR_PREFIX,
        // The QR object lives until enrolment completes and at most this long (README, Security choices).
        expiration: Duration.days(settings.qrCode.objectExpiryDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
    removalPolicy,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'Server access logs would copy every object key (user ids) into a second, longer-lived bucket; ' +
      'only the API functions can reach these objects, each with its own role, and object-level audit ' +
      'is available through CloudTrail data events where a deployment needs it.',
  });
  return bucket;
}
