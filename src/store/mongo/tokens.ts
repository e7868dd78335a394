/**
 * The `platform_tokens` collection: one document per credential (`_id` = key), written compare-and-set on
 * `version` with one findOneAndUpdate, like conversations. A first write is an insert that loses on a
 * duplicate `_id`.
 */
import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import { nowIso } from '../builders.js';
import type { PlatformToken, PlatformTokenWrite } from '../types.js';
import { AFTER, isDuplicateKey } from './queries.js';

export type TokenDoc = Omit<PlatformToken, 'key'> & { _id: string };

const nullable = { type: String, default: null };
export const tokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    accessToken: { type: String, required: true },
    accessExpiresAt: nullable,
    refreshToken: nullable,
    refreshExpiresAt: nullable,
    seed: { type: String, required: true },
    version: { type: Number, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, minimize: false, strict: true, collection: 'platform_tokens' },
);

/** The model on this store's connection, compiled on first use (`_id` is the only index it needs). */
export function tokenModel(conn: Connection): Model<TokenDoc> {
  return (conn.models.PlatformToken as Model<TokenDoc> | undefined) ?? conn.model<TokenDoc>('PlatformToken', tokenSchema);
}

const toToken = (d: TokenDoc): PlatformToken => {
  const { _id, ...rest } = d;
  return { key: _id, ...rest };
};

export async function getToken(model: Model<TokenDoc>, key: string): Promise<PlatformToken | null> {
  const doc = await model.findById(key).lean<TokenDoc>();
  return doc ? toToken(doc) : null;
}

export async function saveToken(model: Model<TokenDoc>, input: PlatformTokenWrite, expectedVersion: number): Promise<PlatformToken | null> {
  const { key, ...fields } = input;
  const set = { ...fields, updatedAt: nowIso() };
  if (expectedVersion === 0) {
    try {
      await model.create({ _id: key, ...set, version: 1 });
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
    return getToken(model, key);
  }
  const doc = await model
    .findOneAndUpdate({ _id: key, version: expectedVersion }, { $set: set, $inc: { version: 1 } }, AFTER)
    .lean<TokenDoc>();
  return doc ? toToken(doc) : null;
}
