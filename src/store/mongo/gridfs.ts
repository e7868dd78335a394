/** Evidence bytes in GridFS (bucket `evidence`), one file per evidence id. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { mongo } from 'mongoose';

/**
 * GridFS accepts any BSON value as a file id, but the driver's types only name ObjectId. Our ids are UUID
 * strings (the same as the metadata document's `_id`), so the id is passed through under that type.
 */
const fileId = (id: string): mongo.ObjectId => id as unknown as mongo.ObjectId;

export async function uploadFile(
  bucket: mongo.GridFSBucket,
  id: string,
  bytes: Buffer,
  metadata: Record<string, string>,
): Promise<void> {
  // The upload stream writes the files document only after the last chunk, so a failed upload leaves no file.
  await pipeline(Readable.from([bytes]), bucket.openUploadStreamWithId(fileId(id), id, { metadata }));
}

/** The file's bytes, or null when GridFS has no such file. */
export async function downloadFile(bucket: mongo.GridFSBucket, id: string): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of bucket.openDownloadStream(fileId(id))) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    }
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
  return Buffer.concat(chunks);
}

/** Removes a file and its chunks; a missing file is not an error. */
export async function deleteFile(bucket: mongo.GridFSBucket, id: string): Promise<void> {
  try {
    await bucket.delete(fileId(id));
  } catch (err) {
    if (!(err instanceof Error && /not found/i.test(err.message))) throw err;
  }
}
