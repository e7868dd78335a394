/**
 * The project's classifier for group messages: loaded once per process and data folder (the cached model from
 * DATA_DIR, trained only when missing), the same way the dialogue gets it; never trained per request.
 */
import type { Config } from '../../config/load-config.js';
import { CASE_CATEGORIES, type CaseCategory } from '../core/types.js';
import { CLARIFY_THRESHOLD, createNlu, type Analysis, type Nlu } from '../nlu/index.js';

const loaded = new Map<string, Promise<Nlu>>();

export function loadNlu(config: Pick<Config, 'dataDir'>): Promise<Nlu> {
  let p = loaded.get(config.dataDir);
  if (!p) {
    p = createNlu({ dataDir: config.dataDir });
    loaded.set(config.dataDir, p);
    // A failed load is retried by the next message instead of being remembered.
    p.catch(() => loaded.delete(config.dataDir));
  }
  return p;
}

export interface Verdict {
  complaint: boolean;
  risk: boolean;
  category: CaseCategory | null;
  analysis: Analysis;
}

const isCategory = (v: string): v is CaseCategory => (CASE_CATEGORIES as readonly string[]).includes(v);
/** Asking for progress or a person in a shop group is an after-sales matter too. */
const FOLLOW_UP = new Set(['progress', 'human']);

/**
 * After-sales report = risk words, or a case category / progress / person request the classifier is sure
 * about. Group chatter (greetings, thanks, off-topic, unsure labels) is not: a group must not turn into cases.
 */
export function judge(analysis: Analysis): Verdict {
  const sure = analysis.confidence >= CLARIFY_THRESHOLD;
  const category = isCategory(analysis.intent) ? analysis.intent : null;
  const complaint = analysis.risk || (sure && (category !== null || FOLLOW_UP.has(analysis.intent)));
  return { complaint, risk: analysis.risk, category: sure ? category : null, analysis };
}
