/**
 * Safe XML for WeCom callbacks (OWASP XML External Entity Prevention): any DOCTYPE or ENTITY declaration is refused before
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

/** How deep a decrypted callback may nest (WeCom's deepest known: MemChangeList/Item). */
export const MAX_DEPTH = 4;

/** A decrypted callback: what occurs once at the top, and every value by its path. */
export interface CallbackXml {
  /** Direct children of `<xml>` that occur once with a text value. */
  fields: Record<string, string>;
  /**
   * Every text value by element path, in document order, including the single ones: repeated elements
   * (`AuthAddOpenKfId`, https://developer.work.weixin.qq.com/document/path/97712) and nested ones
   * (`MemChangeList/Item`, https://developer.work.weixin.qq.com/document/path/92130).
   */
  lists: Record<string, string[]>;
}

/**
 * Parses `<xml>…</xml>` into its direct children as strings. Nested or repeated elements are refused: this is
 * for the outer envelope, where a repeated `<Encrypt>` must not be resolved by guessing.
 */
export function parseFlatXml(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseRoot(text))) {
    if (typeof value !== 'string') throw new WecomXmlError('malformed_xml', `element ${name} is not a single value`);
    out[name] = value;
  }
  return out;
}

/**
 * Parses a decrypted callback, which may nest and repeat elements. A repeated top-level element is not in
 * `fields` (no guessing which one counts), only in `lists`. Same refusals as the envelope, plus nesting deeper
 * than MAX_DEPTH.
 */
export function parseCallbackXml(text: string): CallbackXml {
  const root = parseRoot(text);
  const fields: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(root)) {
    if (typeof value === 'string') fields[name] = value;
    collect(name, value, lists, 1);
  }
  return { fields, lists };
}

function collect(path: string, value: unknown, lists: Record<string, string[]>, depth: number): void {
  if (depth > MAX_DEPTH) throw new WecomXmlError('malformed_xml', `elements nested deeper than ${MAX_DEPTH}`);
  if (typeof value === 'string') {
    (lists[path] ??= []).push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(path, v, lists, depth);
  } else if (isRecord(value)) {
    // '#text' is text mixed between child elements: WeCom sends none, and it has no name to file it under.
    for (const [name, child] of Object.entries(value)) if (name !== '#text') collect(`${path}/${name}`, child, lists, depth + 1);
  } else {
    throw new WecomXmlError('malformed_xml', `element ${path} has no usable value`);
  }
}

function parseRoot(text: string): Record<string, unknown> {
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
  return root;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
