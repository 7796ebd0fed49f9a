import { z } from "zod";

// What the template picker needs from a synced template's components (Graph's shape: HEADER, BODY,
// FOOTER, BUTTONS): the text with its {{1}}, {{2}}… (or {{name}}) placeholders, the parameters to
// ask for, the send request's `components`, and a preview with the values filled in.

const textComponent = z.object({ type: z.string(), format: z.string().optional(), text: z.string().optional() });

export type TemplateParameter = { key: string; named: boolean };
export type TemplateShape = {
  header: string | null;
  body: string;
  footer: string | null;
  headerParameters: TemplateParameter[];
  bodyParameters: TemplateParameter[];
  /** A header that is an image, video or document: this picker cannot fill it in. */
  mediaHeader: string | null;
};

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The placeholders of a template text in the order Graph expects them: {{1}}, {{2}}… by number, named ones as first seen. */
export function extractParameters(text: string): TemplateParameter[] {
  const seen = new Set<string>();
  const found: TemplateParameter[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const key = match[1]!;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ key, named: !/^\d+$/.test(key) });
  }
  const positional = found.filter((p) => !p.named).sort((a, b) => Number(a.key) - Number(b.key));
  return positional.length > 0 ? positional : found;
}

/** A template's components as stored (whatever Graph sent), reduced to what can be shown and filled in. */
export function describeTemplate(components: unknown): TemplateShape {
  const list = Array.isArray(components) ? components : [];
  const parts = list.flatMap((c) => {
    const parsed = textComponent.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
  const find = (type: string) => parts.find((p) => p.type.toUpperCase() === type);
  const header = find("HEADER");
  const textHeader = header && (header.format ?? "TEXT").toUpperCase() === "TEXT" ? (header.text ?? null) : null;
  const body = find("BODY")?.text ?? "";
  return {
    header: textHeader,
    body,
    footer: find("FOOTER")?.text ?? null,
    headerParameters: textHeader ? extractParameters(textHeader) : [],
    bodyParameters: extractParameters(body),
    mediaHeader: header && !textHeader && header.format ? header.format.toUpperCase() : null,
  };
}

type GraphParameter = { type: "text"; text: string; parameter_name?: string };
export type GraphComponent = { type: "header" | "body"; parameters: GraphParameter[] };

/** The send request's `components` (Graph's parameters array) for the values typed in, keyed by placeholder. */
export function buildComponents(shape: TemplateShape, values: { header: Record<string, string>; body: Record<string, string> }): GraphComponent[] {
  const params = (list: TemplateParameter[], given: Record<string, string>): GraphParameter[] =>
    list.map((p) => ({ type: "text", text: (given[p.key] ?? "").trim(), ...(p.named ? { parameter_name: p.key } : {}) }));
  const out: GraphComponent[] = [];
  if (shape.headerParameters.length > 0) out.push({ type: "header", parameters: params(shape.headerParameters, values.header) });
  if (shape.bodyParameters.length > 0) out.push({ type: "body", parameters: params(shape.bodyParameters, values.body) });
  return out;
}

export type PreviewPart = { text: string; placeholder: string | null };

/** A template text split into literal text and filled-in placeholders, so a preview can mark what was typed (or is still missing). */
export function fillTemplate(text: string, values: Record<string, string>): PreviewPart[] {
  const parts: PreviewPart[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), placeholder: null });
    const key = match[1]!;
    const value = values[key]?.trim();
    parts.push({ text: value ? value : `{{${key}}}`, placeholder: key });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), placeholder: null });
  return parts;
}

/** The template as the customer will read it (header, body, footer), for the optimistic bubble. */
export function previewText(shape: TemplateShape, values: { header: Record<string, string>; body: Record<string, string> }): string {
  const join = (parts: PreviewPart[]) => parts.map((p) => p.text).join("");
  return [shape.header ? join(fillTemplate(shape.header, values.header)) : null, join(fillTemplate(shape.body, values.body)), shape.footer]
    .filter((s): s is string => Boolean(s))
    .join("\n\n");
}

/** The placeholders still empty, for a message next to the send button. */
export function missingParameters(shape: TemplateShape, values: { header: Record<string, string>; body: Record<string, string> }): string[] {
  const empty = (list: TemplateParameter[], given: Record<string, string>, where: string) => list.filter((p) => !given[p.key]?.trim()).map((p) => `${where} {{${p.key}}}`);
  return [...empty(shape.headerParameters, values.header, "header"), ...empty(shape.bodyParameters, values.body, "body")];
}
