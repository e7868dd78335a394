/**
 * The shopper sees who answers: an agent's reply goes out as 「【客服小美】…」 (template handoff.agent_signature),
 * since 微信客服 and Douyin show API messages under the shop's account, not the person's. A reply that already
 * names the agent (the greeting canned reply does) and the API token's replies (not a person) go out as written.
 */
import { renderTemplate, type TemplateBook } from '../../templates/render.js';

export function signReply(text: string, agentName: string | null, book: TemplateBook): string {
  const name = agentName?.trim();
  if (!name || text.includes(name)) return text;
  return renderTemplate(book, 'handoff.agent_signature', { agentName: name, text });
}
