/**
 * JWTs as a Cognito user pool issues them: RS256, a `kid` found in the pool's JWKS, `iss` set to the
 * pool's issuer URL. The key pair is generated on first start and kept under the data directory (not
 * cognito-local's key, which ships publicly in its npm package and is the same for every pool).
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import {
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

interface KeyFile {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export class TokenSigner {
  private constructor(
    private readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async load(file: string): Promise<TokenSigner> {
    let keys: KeyFile;
    try {
      keys = JSON.parse(await readFile(file, 'utf8')) as KeyFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
      const kid = randomUUID();
      keys = {
        kid,
        privateJwk: await exportJWK(pair.privateKey),
        publicJwk: await exportJWK(pair.publicKey),
      };
      await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
    }
    const publicJwk: JWK = { ...keys.publicJwk, kid: keys.kid, alg: 'RS256', use: 'sig' };
    return new TokenSigner(
      keys.kid,
      (await importJWK(keys.privateJwk, 'RS256')) as CryptoKey,
      (await importJWK(publicJwk, 'RS256')) as CryptoKey,
      publicJwk,
    );
  }

  /** The document served at `/<poolId>/.well-known/jwks.json`. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** Signs claims that already carry iat and exp (computed from the injected clock, not the wall clock). */
  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid }).sign(this.privateKey);
  }

  /** The verified claims, or 'expired' / 'invalid'. */
  async verify(token: unknown, issuer: string, nowMs: number): Promise<JWTPayload | 'expired' | 'invalid'> {
    if (typeof token !== 'string' || token.length === 0) return 'invalid';
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer,
        algorithms: ['RS256'],
        currentDate: new Date(nowMs),
      });
      return payload;
    } catch (error) {
      return error instanceof errors.JWTExpired ? 'expired' : 'invalid';
    }
  }
}
