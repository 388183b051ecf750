/**
 * s3rver writes an object in place and answers before the file is flushed: a reader could see a
 * truncated object, and a failed upload (bad checksum) left half an object behind. S3 is strongly
 * read-after-write consistent and stores nothing from a failed PUT, so write aside, then rename.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FilesystemStore, StoredObject } from './s3rver';

/** The replacement for the store's putObject. */
export function atomicPutObject(store: FilesystemStore): FilesystemStore['putObject'] {
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
