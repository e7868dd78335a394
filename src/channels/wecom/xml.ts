/**
 * Safe XML for WeCom callbacks (reliability.md §3): any DOCTYPE or ENTITY declaration is refused before
 * parsing (WeCom never sends one, and it stops XXE and entity expansion), entities are not processed and
 * values stay strings (`parseTagValue: false`, or `<Content>0012</Content>` would become 12).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlFailure = 'doctype' | 'malformed_xml';

export class WecomXmlError extends Error {
  readonly reason: XmlFailure;
  constructor(reason: XmlFailure, message: string) {
    super(message);
    this.name = 'WecomXmlError';
    this.reason = reason;
  }
}

const DECLARATION = /<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

/**
 * Parses `<xml>…</xml>` into its direct children as strings. Nested or repeated elements are refused:
 * every WeCom callback we accept is flat, and a repeated `<Encrypt>` must not be resolved by guessing.
 */
export function parseFlatXml(text: string): Record<string, string> {
  if (DECLARATION.test(text)) throw new WecomXmlError('doctype', 'XML declarations are not accepted');
  if (XMLValidator.validate(text) !== true) throw new WecomXmlError('malformed_xml', 'XML is not well-formed');
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    throw new WecomXmlError('malformed_xml', 'XML does not parse');
  }
  const root = isRecord(doc) ? doc.xml : undefined;
  if (!isRecord(root)) throw new WecomXmlError('malformed_xml', 'root element <xml> missing');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) {
    if (typeof value !== 'string') throw new WecomXmlError('malformed_xml', `element ${name} is not a single value`);
    out[name] = value;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
