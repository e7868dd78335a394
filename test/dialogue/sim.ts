/**
 * Runs the pure dialogue step in memory (no Redis, no store): a scripted customer, the real classifier,
 * the real policy file and texts. Effects are recorded, not executed.
 */
import type { Case, Choice, InboundMessage } from '../../src/core/types.js';
import { step } from '../../src/dialogue/flow.js';
import { loadLexicon, type Lexicon } from '../../src/dialogue/lexicon.js';
import type { Effect, FlowCtx } from '../../src/dialogue/outcome.js';
import { loadPolicies, type Policies } from '../../src/dialogue/policies.js';
import { labeler, renderReply, seedOf } from '../../src/dialogue/replies.js';
import { freshState, type DialogueState } from '../../src/dialogue/state.js';
import { understand, type OrderCheck } from '../../src/dialogue/turn.js';
import { CLARIFY_THRESHOLD, type Nlu } from '../../src/nlu/index.js';
import { loadTemplates, type TemplateBook } from '../../templates/render.js';

export interface SimTurn {
  text: string;
  choices: Choice[];
  effect: Effect | null;
  state: DialogueState;
}

export interface SimOptions {
  policies?: Policies;
  cases?: Case[];
  memberLevel?: string | null;
  now?: number;
  orderChecks?: Record<string, OrderCheck>;
}

export class Sim {
  state: DialogueState = freshState();
  readonly turns: SimTurn[] = [];
  readonly policies: Policies;
  readonly book: TemplateBook = loadTemplates();
  readonly lexicon: Lexicon = loadLexicon();
  /** Cases the dialogue filed, as the bot would store them (newest first), with later amendments applied. */
  readonly filed: Case[] = [];
  private n = 0;

  constructor(
    private readonly nlu: Nlu,
    private readonly opts: SimOptions = {},
  ) {
    this.policies = opts.policies ?? loadPolicies();
  }

  get last(): SimTurn {
    const t = this.turns[this.turns.length - 1];
    if (!t) throw new Error('no turn yet');
    return t;
  }

  set cases(cases: Case[]) {
    this.opts.cases = cases;
  }

  private message(partial: Partial<InboundMessage>): InboundMessage {
    this.n += 1;
    return {
      channel: 'web',
      platformMsgId: `m${this.n}`,
      conversationKey: 'visitor-sim',
      platformUserId: 'visitor-sim',
      sentAt: (this.opts.now ?? Date.now()) + this.n,
      from: 'customer',
      kind: 'text',
      text: '',
      attachments: [],
      meta: {},
      ...partial,
    };
  }

  say(text: string): SimTurn {
    return this.run(this.message({ text }));
  }

  click(choiceId: string): SimTurn {
    const label = this.state.offered.find((c) => c.id === choiceId)?.label ?? choiceId;
    return this.run(this.message({ kind: 'choice', choiceId, text: label }));
  }

  photo(id = `ev${this.n + 1}`): SimTurn {
    return this.run(
      this.message({ kind: 'image', text: '[图片]', attachments: [{ kind: 'image', evidenceId: id, mime: 'image/png', size: 70, sha256: `sha-${id}` }] }),
    );
  }

  enter(): SimTurn {
    return this.run(this.message({ kind: 'event', text: '', event: { type: 'enter_session', data: {} } }));
  }

  /** What the bot does with a submit or an amendment, on the in-memory cases (the bot remembers the case filed). */
  private file(effect: Effect | null, rowId: string): void {
    if (effect?.type === 'submit') {
      const i = effect.intake;
      const now = new Date().toISOString();
      this.filed.unshift({
        id: `sim-${rowId}`, channel: 'web', customerId: 'visitor-sim', conversationId: 'conv-sim', category: i.category, orderId: i.orderId,
        description: i.description, evidence: i.evidence, resolution: i.resolution, status: 'open', priority: 2, risk: false, assignee: null,
        csat: null, reopenCount: 0, sla: null, steps: [], data: {}, version: 1, createdAt: now, updatedAt: now,
      });
      this.state = { ...this.state, lastCaseId: `sim-${rowId}` };
    }
    if (effect?.type === 'amend') {
      const c = this.filed.find((k) => k.id === effect.caseId);
      if (c) Object.assign(c, effect.change);
    }
  }

  run(message: InboundMessage): SimTurn {
    const rowId = `row-${this.n}`;
    const now = this.opts.now ?? Date.now();
    const turn = understand(message, this.state.offered, rowId, now, {
      analyze: (t) => this.nlu.analyze(t),
      clarifyThreshold: CLARIFY_THRESHOLD,
      policies: this.policies,
      lexicon: this.lexicon,
    });
    for (const id of turn.orderIds) {
      const check = this.opts.orderChecks?.[id];
      if (check) turn.orderChecks[id] = check;
    }
    const ctx: FlowCtx = {
      policies: this.policies,
      now,
      shopName: '测试小店',
      cases: [...this.filed, ...(this.opts.cases ?? [])],
      memberLevel: this.opts.memberLevel ?? null,
      recentOrders: [],
      text: labeler(this.book),
    };
    const out = step(this.state, turn, ctx);
    const reply = renderReply(this.book, out.say, out.choices, {
      globals: { shopName: '测试小店', caseRef: 'ABCD1234', reviewHours: 24, handoffMinutes: 15, handoffWhen: '约15分钟内' },
      previous: this.state.lastReply,
      seed: seedOf(rowId),
    });
    this.state = { ...out.state, lastReply: reply.text };
    this.file(out.effect, rowId);
    const t: SimTurn = { text: reply.text, choices: reply.choices ?? [], effect: out.effect, state: this.state };
    this.turns.push(t);
    return t;
  }
}
