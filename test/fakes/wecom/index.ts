/**
 * A local WeCom for tests: `startFakeWecom()` runs the API server (platforms.md §7) and offers the customer,
 * servicer and platform actions a test drives, plus the counters it asserts on. `connect(sender)` makes every
 * new log entry produce a kf_msg_or_event callback, as WeCom does.
 */
import { CallbackSender, type CallbackSenderOptions } from './callback-sender.js';
import { addMedia } from './extras.js';
import { moveSession, retakeSession } from './kf-send.js';
import { customerEnters, customerRecalls, customerSends, newCallbackToken, servicerSends, setServicerStatus } from './kf-sync.js';
import { FakeModel, type FakeWecomOptions, type Json, type Media } from './model.js';
import { FakeWecomServer } from './server.js';

export { CallbackSender } from './callback-sender.js';
export { FAKE_CODES, type FakeClock, type Refusal, type SentMessage } from './model.js';

export class FakeWecom {
  readonly model: FakeModel;
  readonly server: FakeWecomServer;
  private pending = new Set<Promise<unknown>>();

  constructor(opts: FakeWecomOptions) {
    this.model = new FakeModel(opts);
    this.server = new FakeWecomServer(this.model);
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }
  get sent() {
    return this.model.sent;
  }
  get refusals() {
    return this.model.refusals;
  }
  get gettokenCalls(): number {
    return this.model.gettokenCalls;
  }
  calls(path: string): number {
    return this.model.calls.get(path) ?? 0;
  }

  /** Every new log entry → a fresh callback token → a callback through `sender` (not awaited by the action). */
  connect(sender: CallbackSender): void {
    this.model.onAppend((openKfId) => {
      const p = sender.deliver(openKfId, newCallbackToken(this.model, openKfId)).finally(() => this.pending.delete(p));
      this.pending.add(p);
    });
  }

  /** Waits for callbacks in flight (and any they cause). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  callbackToken(openKfId: string): string {
    return newCallbackToken(this.model, openKfId);
  }
  enter(openKfId: string, externalUserId: string, extra: Json = {}) {
    return customerEnters(this.model, openKfId, externalUserId, extra);
  }
  customerText(openKfId: string, externalUserId: string, content: string, menuId?: string): string {
    return customerSends(this.model, openKfId, externalUserId, 'text', { content, ...(menuId ? { menu_id: menuId } : {}) });
  }
  customerSends(openKfId: string, externalUserId: string, msgtype: string, body: Json): string {
    return customerSends(this.model, openKfId, externalUserId, msgtype, body);
  }
  /** Uploads the bytes as the customer's media, then sends the message referencing it. */
  customerMedia(openKfId: string, externalUserId: string, type: Media['type'], bytes: Buffer): { msgid: string; mediaId: string } {
    const uploaded = addMedia(this.model, type, bytes);
    const mediaId = String(uploaded.media_id ?? '');
    if (!mediaId) throw new Error(`fake refused the media: ${JSON.stringify(uploaded)}`);
    return { msgid: customerSends(this.model, openKfId, externalUserId, type, { media_id: mediaId }), mediaId };
  }
  mediaDownloads(mediaId: string): number {
    return this.model.media.get(mediaId)?.downloads ?? 0;
  }
  servicerText(openKfId: string, externalUserId: string, servicer: string, text: string): string {
    return servicerSends(this.model, openKfId, externalUserId, servicer, text);
  }
  recall(openKfId: string, externalUserId: string, msgid: string): void {
    customerRecalls(this.model, openKfId, externalUserId, msgid);
  }
  /** A person picks the customer from the waiting pool in the WeCom client (change_type 1). */
  servicerTakes(openKfId: string, externalUserId: string, servicer: string) {
    return moveSession(this.model, { openKfId, externalUserId, to: 3, servicer, changeType: 1 });
  }
  /** A servicer re-takes an ended or transferred session (change_type 4); returns the log item. */
  servicerRetakes(openKfId: string, externalUserId: string, servicer: string): Json {
    return retakeSession(this.model, { openKfId, externalUserId, servicer });
  }
  endSession(openKfId: string, externalUserId: string) {
    return moveSession(this.model, { openKfId, externalUserId, to: 4 });
  }
  servicerStatus(userid: string, status: 0 | 1): void {
    setServicerStatus(this.model, userid, status);
  }
  /** The next `count` accepted send_msg calls are followed by msg_send_fail with `failType`. */
  failNextSends(count: number, failType = 0): void {
    this.model.failNextSends = count;
    this.model.failType = failType;
  }
  emptyPages(count: number): void {
    this.model.emptyPagesNext = count;
  }
  /** Appends an arbitrary sync_msg item (every message type and event). */
  push(openKfId: string, item: Json): Json {
    return this.model.append(openKfId, item);
  }
  session(openKfId: string, externalUserId: string) {
    return this.model.session(openKfId, externalUserId);
  }

  async close(): Promise<void> {
    await this.settle();
    await this.server.close();
  }
}

export async function startFakeWecom(opts: FakeWecomOptions): Promise<FakeWecom> {
  const fake = new FakeWecom(opts);
  await fake.server.listen();
  return fake;
}

export function callbackSender(opts: CallbackSenderOptions): CallbackSender {
  return new CallbackSender(opts);
}
