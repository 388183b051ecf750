/**
 * Authenticator enrolment: Cognito generates the TOTP secret (AssociateSoftwareToken with the access
 * token of a sign-in that has no authenticator yet), the user gets it as text, as an otpauth:// URI and
 * as a QR code PNG kept encrypted in S3 behind a presigned URL that lives minutes; Cognito, not this
 * API, verifies the user's first code. The sign-in's tokens travel sealed in the session
 * (enrolment-session.ts) and reach the user only once the code is verified.
 */
import { AssociateSoftwareTokenCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Deps } from '../runtime/clients';
import type { MfaSetup } from '../../schema/generated/types';
import type { UnprovenSignIn } from './cognito';
import { sealEnrolment } from './enrolment-session';

/**
 * Key of an enrolment's QR object: one per enrolment, never reused, so a link handed out for one
 * enrolment can only ever show that enrolment's secret. A user's objects share `qr/<sub>/`.
 */
export const QR_PREFIX = 'qr/';
export const qrKey = (userId: string, enrolmentId: string): string =>
  `${QR_PREFIX}${userId}/${enrolmentId}.png`;
const qrFolder = (userId: string): string => `${QR_PREFIX}${userId}/`;

/** otpauth://totp/<Issuer>:<email>?secret=…&issuer=<Issuer>, the Key URI Format authenticator apps read. */
export function otpauthUri(issuer: string, email: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(email)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}

/**
 * Starts enrolment for a signed-in account without an authenticator: a new secret from Cognito, its QR
 * code, and a sealed session that confirmMfa completes.
 */
export async function startEnrolment(
  deps: Deps,
  signIn: UnprovenSignIn,
  email: string,
  userId: string,
  replaces?: string,
): Promise<MfaSetup> {
  const associated = await deps.cognito.send(
    new AssociateSoftwareTokenCommand({ AccessToken: signIn.accessToken }),
  );
  if (!associated.SecretCode) throw new Error('AssociateSoftwareToken returned no secret');
  const uri = otpauthUri(deps.config.mfaIssuer, email, associated.SecretCode);
  // Imported here, not at the top: qrcode is CommonJS, which esbuild cannot shake, and most functions
  // reach this module only to delete QR objects.
  const { default: QRCode } = await import('qrcode');
  const png = await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 });
  const { session, enrolmentId } = await sealEnrolment(deps, { sub: userId, email, ...signIn, replaces });
  const key = qrKey(userId, enrolmentId);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.config.mfaBucket,
      Key: key,
      Body: png,
      ContentType: 'image/png',
      // The picture is the secret: encrypted at rest, never cached by a browser or proxy.
      ServerSideEncryption: 'AES256',
      CacheControl: 'no-store',
    }),
  );
  const ttl = deps.config.qrUrlTtlSeconds;
  const qrCodeUrl = await getSignedUrl(
    deps.s3,
    new GetObjectCommand({ Bucket: deps.config.mfaBucket, Key: key }),
    {
      expiresIn: ttl,
    },
  );
  // The account may have been deleted while this sign-in was under way, after its objects were: then
  // this picture would outlive it. Cognito refuses the token of a deleted user; the picture goes too.
  try {
    await deps.cognito.send(new GetUserCommand({ AccessToken: signIn.accessToken }));
  } catch (error) {
    await deleteQrCode(deps, userId, enrolmentId);
    throw error;
  }
  return {
    session,
    secretCode: associated.SecretCode,
    otpauthUri: uri,
    qrCodeUrl,
    qrCodeExpiresAt: new Date(deps.now().getTime() + ttl * 1000).toISOString(),
  };
}

/** Enrolment is done: its QR code has no reason to exist any more. */
export async function deleteQrCode(deps: Deps, userId: string, enrolmentId: string): Promise<void> {
  await deps.s3.send(
    new DeleteObjectCommand({ Bucket: deps.config.mfaBucket, Key: qrKey(userId, enrolmentId) }),
  );
}

/** The account is gone: every QR object it has (listed under its folder), and none of anyone else's. */
export async function deleteQrCodes(deps: Deps, userId: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await deps.s3.send(
      new ListObjectsV2Command({
        Bucket: deps.config.mfaBucket,
        Prefix: qrFolder(userId),
        ContinuationToken: token,
      }),
    );
    await Promise.all(
      (page.Contents ?? []).flatMap((o) =>
        o.Key ? [deps.s3.send(new DeleteObjectCommand({ Bucket: deps.config.mfaBucket, Key: o.Key }))] : [],
      ),
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
