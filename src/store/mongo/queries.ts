/** Small helpers shared by the MongoDB store's methods. */
import type { Model } from 'mongoose';
import { fromDoc } from './models.js';

/** MongoDB's duplicate-key error, raised by a unique index. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err.code === 11000 || err.code === 11001);
}

/** Inserts `doc`; false when a unique index already holds its key (the caller then reads the winner). */
export async function insertUnlessDuplicate<T>(model: Model<T>, doc: T): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Runs `write` again once if it hit a duplicate key (an upsert racing another upsert of the same key). */
export async function retryOnDuplicate<T>(write: () => PromiseLike<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return write();
  }
}

type Stored = { _id: string; seq?: number };
type Row<T extends Stored> = Omit<T, '_id' | 'seq'> & { id: string };

/** Awaits a lean query for one document and maps it to the interface row. */
export async function one<T extends Stored>(query: PromiseLike<T | null>): Promise<Row<T> | null> {
  const doc = await query;
  return doc ? fromDoc(doc) : null;
}

export async function many<T extends Stored>(query: PromiseLike<T[]>): Promise<Row<T>[]> {
  return (await query).map((d) => fromDoc(d));
}

/** Options for findOneAndUpdate: answer with the document as written (`new: true` is deprecated in Mongoose 9). */
export const AFTER = { returnDocument: 'after' } as const;
