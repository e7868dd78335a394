/** Plays a script through a channel driver and checks every step against the stored conversation. */
import { expect } from 'vitest';
import type { Case } from '../../src/core/types.js';
import { readState, type DialogueState } from '../../src/dialogue/state.js';
import type { Conversation } from '../../src/store/types.js';
import type { Script } from './scripts.js';
import type { BotLine } from './web-customer.js';

export interface Driver {
  say(text: string): Promise<BotLine>;
  click(choiceId: string): Promise<BotLine>;
  photo(): Promise<BotLine>;
  conversation(): Promise<Conversation>;
  cases(): Promise<Case[]>;
}

export interface Played {
  lines: BotLine[];
  state: DialogueState;
}

export async function play(script: Script, d: Driver): Promise<Played> {
  const lines: BotLine[] = [];
  for (const [i, step] of script.steps.entries()) {
    const a = step.do;
    const line = 'say' in a ? await d.say(a.say) : 'click' in a ? await d.click(a.click) : await d.photo();
    lines.push(line);
    const conv = await d.conversation();
    const state = readState(conv.state);
    const where = `${script.name} — step ${i + 1} ${JSON.stringify(a)} → ${JSON.stringify(line.text)}`;
    const e = step.expect;
    if (e?.asking !== undefined) expect(state.asking, where).toBe(e.asking);
    for (const id of e?.offers ?? []) expect(line.choices.map((c) => c.id), where).toContain(id);
    for (const fragment of e?.includes ?? []) expect(line.text, where).toContain(fragment);
    if (e?.human !== undefined) expect(conv.mode === 'human', where).toBe(e.human);
  }
  const conv = await d.conversation();
  const cases = await d.cases();
  if (script.noCase) expect(cases, script.name).toHaveLength(0);
  if (script.case) {
    // One case per script: a correction after filing amends it instead of opening another.
    expect(cases, `${script.name}: exactly one case`).toHaveLength(1);
    const c = cases[0];
    expect(c, `${script.name}: a case was created`).toBeDefined();
    const got = c as Case;
    expect(
      {
        category: got.category,
        orderId: got.orderId,
        resolution: got.resolution,
        evidence: got.evidence.length,
        priority: got.priority,
        risk: got.risk,
        status: got.status,
      },
      script.name,
    ).toEqual(script.case);
    // Every evidence entry is complete as contracts.md defines it.
    for (const e of got.evidence) {
      expect(e).toMatchObject({ kind: 'image', mime: 'image/png' });
      expect(e.size).toBeGreaterThan(0);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(cases, `${script.name}: exactly one case`).toHaveLength(1);
  }
  return { lines, state: readState(conv.state) };
}
