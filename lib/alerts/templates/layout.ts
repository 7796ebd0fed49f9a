import { env } from "@/lib/env";
import { scrubSecrets } from "@/lib/log/logger";

// The frame every alert email shares. A template describes its content once as blocks; this file
// renders them to both HTML and plain text, so the two versions cannot drift apart. Every value
// is escaped here: account and workspace names come from customers and from Meta.

export type Email = { subject: string; html: string; text: string };

export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "details"; rows: [label: string, value: string][] }
  | { kind: "list"; title: string; items: string[]; ordered?: boolean }
  | { kind: "link"; label: string; url: string | null };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** Control characters (CR/LF above all) have no place in a header or a one-line value. */
export function oneLine(value: string, max = 200): string {
  const flat = value.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Free text from Meta or from an error (a reason, a last error): one line, and never a token. */
export function safeText(value: string, max = 300): string {
  // Meta access tokens start with "EAA"; an error message could quote one.
  return oneLine(scrubSecrets(value).replace(/\bEAA[A-Za-z0-9]{20,}/g, "[redacted]"), max);
}

/** A link into WhaTrack: the caller's URL, else `path` relative to APP_URL (kept whole, it may have a base path), else none. */
export function appLink(explicit: string | undefined, path = ""): string | null {
  if (explicit) return /^https?:\/\//i.test(explicit) ? explicit : null;
  return env.APP_URL ? new URL(path, env.APP_URL).toString() : null;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return `<p style="margin:0 0 16px">${escapeHtml(block.text)}</p>`;
    case "details": {
      const rows = block.rows.map(([label, value]) => `<tr><td style="padding:4px 16px 4px 0;color:#555;vertical-align:top">${escapeHtml(label)}</td><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`);
      return `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${rows.join("")}</table>`;
    }
    case "list": {
      const tag = block.ordered ? "ol" : "ul";
      const items = block.items.map((i) => `<li style="margin:0 0 6px">${escapeHtml(i)}</li>`).join("");
      return `<h2 style="font-size:16px;margin:24px 0 8px">${escapeHtml(block.title)}</h2><${tag} style="margin:0 0 16px;padding-left:20px">${items}</${tag}>`;
    }
    case "link":
      if (!block.url) return "";
      return `<p style="margin:24px 0"><a href="${escapeHtml(block.url)}" style="background:#128c7e;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${escapeHtml(block.label)}</a></p>`;
  }
}

function blockText(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return block.text;
    case "details":
      return block.rows.map(([label, value]) => `${label}: ${value}`).join("\n");
    case "list":
      return [block.title, ...block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `- ${item}`))].join("\n");
    case "link":
      return block.url ? `${block.label}: ${block.url}` : "";
  }
}

export function renderEmail(input: { subject: string; heading: string; blocks: Block[]; footer: string }): Email {
  const body = input.blocks.map(blockHtml).filter(Boolean).join("\n");
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(input.heading)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f4;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222">
<div style="max-width:600px;margin:0 auto;background:#fff;padding:24px;border-radius:6px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(input.heading)}</h1>
${body}
<p style="margin:24px 0 0;font-size:12px;color:#777">${escapeHtml(input.footer)}</p>
</div></body></html>`;
  const text = [input.heading, ...input.blocks.map(blockText).filter(Boolean), "--", input.footer].join("\n\n");
  return { subject: oneLine(input.subject, 150), html, text: `${text}\n` };
}
