/**
 * Extra `cases` indexes for the dashboard (models.ts declares them with the others). The period range uses
 * the existing `createdAt` / `channel+createdAt` / `category+createdAt` indexes; these add the showcase list
 * and the JSON fields that spike examples filter on.
 */
export const STATS_CASE_INDEXES: [Record<string, 1 | -1>, Record<string, unknown>][] = [
  [{ 'data.showcase.at': -1, _id: -1 }, { partialFilterExpression: { 'data.showcase.consent': true } }],
  [{ 'data.order.productName': 1, createdAt: -1 }, {}],
  [{ 'data.carrier': 1, createdAt: -1 }, { sparse: true }],
];
