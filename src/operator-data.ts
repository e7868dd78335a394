/**
 * The operator's data files under config/ and templates/, read and validated once at start-up by
 * createServices and passed down in Services.data. A missing file, broken JSON or a wrong field stops
 * start-up with one ConfigError line naming the file and the field; nothing below re-reads them later.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/load-config.js';
import { loadTemplates, type TemplateBook } from '../templates/render.js';
import { parseCareConfig, type CareConfig } from './care/config.js';
import { parseLexicon, type Lexicon } from './dialogue/lexicon.js';
import { parsePolicies, type Policies } from './dialogue/policies.js';
import { parseQa, type QaBook } from './dialogue/qa.js';
import { parseFollowupConfig, type FollowupConfig } from './followup/config.js';
import { parseHandoffConfig, type HandoffConfig } from './handoff/config.js';
import { parseSentimentWords, type SentimentWords } from './handoff/sentiment.js';
import { projectRoot } from './paths.js';

export interface OperatorData {
  /** config/handoff.json: on-duty roster, service levels, assignment. */
  handoff: HandoffConfig;
  /** config/sentiment.json: weighted mood words for the hand-over packet. */
  sentiment: SentimentWords;
  /** config/policies.json: resolutions, evidence, priorities, member levels per category. */
  policies: Policies;
  /** config/dialogue.json: the words the intake listens for beside the classifier. */
  lexicon: Lexicon;
  /** config/followup.json: survey and follow-up timing and answer words. */
  followup: FollowupConfig;
  /** config/qa.json: the shop's question-and-answer pairs, several phrasings each. */
  qa: QaBook;
  /** config/care.json: proactive logistics care and livestream surge settings. */
  care: CareConfig;
  /** templates/zh-CN.json and templates/zh-CN/*.json: every shopper- and agent-visible text. */
  templates: TemplateBook;
}

/** Reads `<configDir>/<name>` as JSON and validates it with `parse`; any failure is one line naming the file. */
function readDataFile<T>(configDir: string, name: string, parse: (raw: unknown, source: string) => T): T {
  const file = path.join(configDir, name);
  const source = `config/${name}`;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${source}: cannot be read (looked for ${file})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return parse(raw, source);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
}

export interface OperatorDataOptions {
  /** Folder holding handoff.json, sentiment.json, policies.json, dialogue.json, followup.json, qa.json and care.json. */
  configDir?: string;
  /** Template book file (its `zh-CN/` folder is read with it). */
  templatesFile?: string;
}

export function loadOperatorData(opts: OperatorDataOptions = {}): OperatorData {
  const dir = opts.configDir ?? path.join(projectRoot, 'config');
  let templates: TemplateBook;
  try {
    templates = loadTemplates(opts.templatesFile ?? path.join(projectRoot, 'templates/zh-CN.json'));
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  return {
    handoff: readDataFile(dir, 'handoff.json', parseHandoffConfig),
    sentiment: readDataFile(dir, 'sentiment.json', parseSentimentWords),
    policies: readDataFile(dir, 'policies.json', parsePolicies),
    lexicon: readDataFile(dir, 'dialogue.json', parseLexicon),
    followup: readDataFile(dir, 'followup.json', parseFollowupConfig),
    qa: readDataFile(dir, 'qa.json', parseQa),
    care: readDataFile(dir, 'care.json', parseCareConfig),
    templates,
  };
}
