/**
 * The message-understanding contract of config/nlu/README.md: one intent, one risk flag and the
 * entities of every customer message. Pure data, no imports, so every layer can depend on it.
 */

/** The fixed label set; order is the display order of reports and the confusion matrix. */
export const INTENTS = [
  'quality',
  'logistics',
  'wrong_item',
  'false_ad',
  'service',
  'no_fault_return',
  'progress',
  'policy',
  'human',
  'greeting',
  'thanks',
  'other',
] as const;

export type Intent = (typeof INTENTS)[number];

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (INTENTS as readonly string[]).includes(value);
}

export interface Entities {
  /** Runs of 16–19 digits. */
  orderIds: string[];
  /** Mainland mobiles as 11 digits (country code, spaces and dashes removed). */
  phones: string[];
  /** Upper-case carrier prefix + digits, or bare 12–14 digits when the text names a carrier or 单号/快递. */
  trackingNumbers: string[];
}

export interface RiskResult {
  risk: boolean;
  /** `category:matched words`, e.g. `regulator:12315`, `harm:冒烟`; empty when not risky. */
  reasons: string[];
}

export interface Analysis {
  intent: Intent;
  /** 0–1; below CLARIFY_THRESHOLD the dialogue should ask a clarifying question instead of acting. */
  confidence: number;
  risk: boolean;
  riskReasons: string[];
  entities: Entities;
  /** The text the classifier read: width-folded, lower-cased, simplified, repeats collapsed. */
  normalized: string;
  /** Classifier posterior per label, before the rules; absent for empty input. */
  scores?: Record<Intent, number>;
}

export interface Nlu {
  /** Synchronous and allocation-light: called for every inbound message. */
  analyze(text: string): Analysis;
  readonly info: NluInfo;
}

export interface NluInfo {
  /** `cache` when the model was restored from modelPath, `trained` when built from the corpus now. */
  source: 'cache' | 'trained';
  modelPath: string;
  /** Hash of corpus files, shop dictionary and code version that the model was trained from. */
  key: string;
  examples: number;
  features: number;
  /** Set when a freshly trained model could not be written; the model still works in memory. */
  cacheError?: string;
}
