/**
 * The request body of an upload as S3 reads it: aws-chunked framing removed, checksums verified.
 *
 * Since early 2025 the AWS SDKs compute a CRC32 for every upload by default and, for a body whose
 * length they cannot see up front (a stream), send it `Content-Encoding: aws-chunked` with the
 * checksum in a trailer. s3rver predates that and stores the framing bytes as the object: an SDK
 * streaming upload came back corrupt. S3 decodes the framing, verifies the checksum (BadDigest on a
 * mismatch) and stores the payload.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error, type S3Context } from './s3rver';

// zlib.crc32 arrived in Node 20.15; package.json allows 20.11, so the table is computed here.
const CRC32_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer, previous: number): number {
  let c = ~previous;
  for (const byte of data) c = CRC32_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Checksums this machine can compute; CRC32C and CRC64NVME are accepted unverified (no built-in). */
type Algorithm = 'crc32' | 'sha1' | 'sha256' | 'md5';

class Digest {
  private crc = 0;
  private readonly hash: Hash | undefined;

  constructor(readonly algorithm: Algorithm) {
    this.hash = algorithm === 'crc32' ? undefined : createHash(algorithm);
  }

  update(chunk: Buffer): void {
    if (this.hash) this.hash.update(chunk);
    else this.crc = crc32(chunk, this.crc);
  }

  /** Base64, as S3 writes checksums in headers and trailers. */
  digest(): string {
    if (this.hash) return this.hash.digest('base64');
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.crc >>> 0);
    return out.toString('base64');
  }
}

export interface BodyOptions {
  /** The body is aws-chunked: `<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n`. */
  chunked: boolean;
  /** x-amz-decoded-content-length: the payload size a chunked body must add up to. */
  decodedLength?: number;
  /** The x-amz-checksum-<algorithm> to verify (from a header, or named by x-amz-trailer). */
  checksum?: { algorithm: string; header: string; expected?: string };
  /** Content-MD5, which S3 also verifies. */
  contentMd5?: string;
}

const MAX_LINE = 8 * 1024;

export class UploadBody extends Transform {
  /** The verified checksum header and value, for the response (S3 echoes it on PutObject). */
  verified: { header: string; value: string } | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'size' | 'data' | 'crlf' | 'trailers' | 'done' = 'size';
  private decoded = 0;
  private readonly trailers = new Map<string, string>();
  private readonly checksum: Digest | undefined;
  private readonly md5: Digest | undefined;

  constructor(private readonly options: BodyOptions) {
    super();
    const algorithm = options.checksum?.algorithm;
    if (algorithm === 'crc32' || algorithm === 'sha1' || algorithm === 'sha256') {
      this.checksum = new Digest(algorithm);
    }
    this.md5 = options.contentMd5 ? new Digest('md5') : undefined;
    // A bad checksum is only known at the end of the body, which may come before s3rver's store
    // starts reading (it awaits a mkdir first); the error reaches it then through pipeline, but an
    // 'error' event with no listener at that moment would crash the process.
    this.on('error', () => {});
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (this.options.chunked) {
        this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
        this.unframe();
      } else {
        this.payload(chunk);
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.options.chunked && this.state !== 'done') throw incomplete();
      if (this.options.decodedLength !== undefined && this.decoded !== this.options.decodedLength) {
        throw incomplete();
      }
      this.verify();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private payload(data: Buffer): void {
    this.decoded += data.length;
    this.checksum?.update(data);
    this.md5?.update(data);
    this.push(data);
  }

  private unframe(): void {
    while (this.pending.length) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, this.pending.length);
        this.payload(this.pending.subarray(0, n));
        this.pending = this.pending.subarray(n);
        this.remaining -= n;
        if (this.remaining === 0) this.state = 'crlf';
        continue;
      }
      const eol = this.pending.indexOf('\r\n');
      if (eol < 0) {
        if (this.pending.length > MAX_LINE) throw malformed();
        return;
      }
      const line = this.pending.subarray(0, eol).toString('latin1');
      this.pending = this.pending.subarray(eol + 2);
      switch (this.state) {
        case 'crlf':
          if (line !== '') throw malformed();
          this.state = 'size';
          break;
        case 'size': {
          // The chunk extension carries a signature in signed streaming uploads; like s3rver for
          // every other request, the local S3 does not verify signatures.
          const size = Number.parseInt(line.split(';')[0] ?? '', 16);
          if (!Number.isInteger(size) || size < 0) throw malformed();
          this.remaining = size;
          this.state = size === 0 ? 'trailers' : 'data';
          break;
        }
        case 'trailers': {
          if (line === '') {
            this.state = 'done';
            break;
          }
          const colon = line.indexOf(':');
          if (colon < 1) throw malformed();
          this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
          break;
        }
        case 'done':
          throw malformed();
      }
    }
  }

  private verify(): void {
    const { checksum, contentMd5 } = this.options;
    if (this.md5 && contentMd5 && this.md5.digest() !== contentMd5) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    if (!checksum) return;
    const expected = checksum.expected ?? this.trailers.get(checksum.header);
    if (expected === undefined) {
      throw new S3Error('InvalidRequest', `The trailer ${checksum.header} was declared but not sent.`);
    }
    if (this.checksum) {
      const actual = this.checksum.digest();
      if (actual !== expected) {
        throw new S3Error(
          'BadDigest',
          `The ${checksum.algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
        );
      }
    }
    this.verified = { header: checksum.header, value: expected };
  }
}

/** The x-amz-checksum-<algorithm> headers S3 accepts on an upload. */
const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

/** Puts an UploadBody between the request and s3rver when the body needs decoding or checking. */
export function prepareUpload(ctx: S3Context): UploadBody | undefined {
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

function malformed() {
  return new S3Error('InvalidRequest', 'The aws-chunked request body is malformed.');
}

function incomplete() {
  return new S3Error(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  );
}
