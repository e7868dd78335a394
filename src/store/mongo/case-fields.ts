/**
 * Cases written before the SLA state and the execution timeline were fields of the case (SQLite migration 10
 * does the same): a well-formed `data.sla` (object) or `data.steps` (array) moves to the top level, and every
 * older case gets the defaults. Runs at every init; once done, each update matches nothing. Written on the
 * driver's collection: these are our own operators and an aggregation-pipeline update, which needs MongoDB 4.2+
 * (https://www.mongodb.com/docs/manual/tutorial/update-documents-with-aggregation-pipeline/).
 */
import type { Model } from 'mongoose';
import type { CaseDoc } from './models.js';

export async function moveCaseFields(cases: Model<CaseDoc>): Promise<void> {
  const c = cases.collection;
  await c.updateMany({ sla: { $exists: false }, 'data.sla': { $type: 'object' } }, [{ $set: { sla: '$data.sla' } }, { $unset: 'data.sla' }]);
  await c.updateMany({ steps: { $exists: false }, 'data.steps': { $type: 'array' } }, [{ $set: { steps: '$data.steps' } }, { $unset: 'data.steps' }]);
  await c.updateMany({ sla: { $exists: false } }, { $set: { sla: null } });
  await c.updateMany({ steps: { $exists: false } }, { $set: { steps: [] } });
}
