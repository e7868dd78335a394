/**
 * The `improvement_items` collection (改进单): one document per item, `_id` the item id, updated compare-and-set
 * on `version` with one findOneAndUpdate, like conversations.
 */
import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import { nowIso, pickDefined } from '../builders.js';
import { buildImprovement, IMPROVEMENT_LIST_DEFAULT, IMPROVEMENT_LIST_MAX, IMPROVEMENT_PATCH_KEYS } from '../improvement-builder.js';
import { clampLimit } from '../paging.js';
import type { ImprovementFilter, ImprovementItem, ImprovementPatch, NewImprovement } from '../types.js';
import { fromDoc, type Doc } from './models.js';
import { AFTER } from './queries.js';

export type ImprovementDoc = Doc<ImprovementItem>;

const str = { type: String, required: true };
const nullable = { type: String, default: null };
const improvementSchema = new Schema(
  {
    _id: str,
    dimension: str,
    key: str,
    cause: str,
    ownerId: str,
    action: str,
    dueDate: str,
    source: str,
    sourceCaseId: nullable,
    status: str,
    createdBy: str,
    doneAt: nullable,
    doneBy: nullable,
    closedAt: nullable,
    closedBy: nullable,
    reopenCount: { type: Number, required: true },
    version: { type: Number, required: true },
    createdAt: str,
    updatedAt: str,
  },
  { versionKey: false, minimize: false, strict: true, collection: 'improvement_items' },
);
improvementSchema.index({ ownerId: 1, createdAt: -1 });
improvementSchema.index({ status: 1, createdAt: -1 });
improvementSchema.index({ dimension: 1, key: 1, createdAt: -1 });

/** The model on this store's connection, compiled on first use; its indexes are built then. */
export async function improvementModel(conn: Connection): Promise<Model<ImprovementDoc>> {
  const existing = conn.models.ImprovementItem as Model<ImprovementDoc> | undefined;
  if (existing) return existing;
  const model = conn.model<ImprovementDoc>('ImprovementItem', improvementSchema);
  await model.createIndexes();
  return model;
}

const toItem = (d: ImprovementDoc): ImprovementItem => fromDoc(d);

export async function createImprovement(model: Model<ImprovementDoc>, input: NewImprovement): Promise<ImprovementItem> {
  const { id, ...rest } = buildImprovement(input);
  await model.create({ _id: id, ...rest });
  return { id, ...rest };
}

export async function getImprovement(model: Model<ImprovementDoc>, id: string): Promise<ImprovementItem | null> {
  const doc = await model.findById(id).lean<ImprovementDoc>();
  return doc ? toItem(doc) : null;
}

export async function listImprovements(model: Model<ImprovementDoc>, f: ImprovementFilter): Promise<ImprovementItem[]> {
  const q: Record<string, string> = {};
  if (f.ownerId !== undefined) q.ownerId = f.ownerId;
  if (f.status !== undefined) q.status = f.status;
  if (f.dimension !== undefined) q.dimension = f.dimension;
  if (f.key !== undefined) q.key = f.key;
  const limit = clampLimit(f.limit, IMPROVEMENT_LIST_DEFAULT, IMPROVEMENT_LIST_MAX);
  const docs = await model.find(q).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<ImprovementDoc[]>();
  return docs.map(toItem);
}

export async function updateImprovement(
  model: Model<ImprovementDoc>,
  id: string,
  expectedVersion: number,
  patch: ImprovementPatch,
): Promise<ImprovementItem | null> {
  const set = { ...pickDefined(patch, IMPROVEMENT_PATCH_KEYS), updatedAt: nowIso() };
  const doc = await model.findOneAndUpdate({ _id: id, version: expectedVersion }, { $set: set, $inc: { version: 1 } }, AFTER).lean<ImprovementDoc>();
  return doc ? toItem(doc) : null;
}
