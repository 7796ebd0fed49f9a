"use client";

import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";
import { templateListSchema, templateSyncResultSchema, type TemplateView } from "@/lib/templates/templates-schemas";
import { buildComponents, describeTemplate, fillTemplate, missingParameters, previewText, type GraphComponent, type TemplateParameter } from "@/components/outbound/template-parameters";
import { inputClass } from "@/components/connections/form-field";

// Pick one of the number's approved templates, fill in its {{n}} parameters, see what the customer
// will read, send. Used by the reply box (window closed) and by "Send template" to a new number.

export type TemplateMessage = { name: string; language: string; components: GraphComponent[] };
type Values = { header: Record<string, string>; body: Record<string, string> };
type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; templates: TemplateView[] };

type Props = {
  connectionId: string;
  submitLabel: string;
  /** Sends; answers an error sentence to show, or null when it went. */
  onSubmit: (template: TemplateMessage, preview: string) => Promise<string | null>;
  compact?: boolean;
};

export function TemplateForm({ connectionId, submitLabel, onSubmit, compact = false }: Props) {
  const ids = useId();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [chosenId, setChosenId] = useState("");
  const [values, setValues] = useState<Values>({ header: {}, body: {} });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const [syncNote, setSyncNote] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const query = new URLSearchParams({ connectionId, status: "APPROVED", limit: "200" });
    void callApi("GET", `/api/v1/templates?${query}`, templateListSchema).then((res) => {
      if (cancelled) return;
      setLoad(res.ok ? { state: "ready", templates: res.data } : { state: "error", message: res.message });
      setChosenId("");
    });
    return () => {
      cancelled = true;
    };
  }, [connectionId, generation]);

  async function syncFromMeta() {
    setSyncing(true);
    setSyncNote(null);
    const res = await callApi("POST", "/api/v1/templates/sync", dataOnly(templateSyncResultSchema), {});
    setSyncing(false);
    if (!res.ok) return setSyncNote(res.message);
    if (res.data.failedWabas > 0) setSyncNote("Meta did not list the templates of every account: check the number's token on the Overview.");
    setGeneration((g) => g + 1);
  }

  const templates = load.state === "ready" ? load.templates : [];
  const chosen = templates.find((t) => t.id === chosenId) ?? null;
  const shape = useMemo(() => (chosen ? describeTemplate(chosen.components) : null), [chosen]);
  const missing = shape ? missingParameters(shape, values) : [];

  function choose(id: string) {
    setChosenId(id);
    setValues({ header: {}, body: {} });
    setError(null);
    setAttempted(false);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!chosen || !shape) return;
    setAttempted(true);
    if (missing.length > 0) return;
    setBusy(true);
    setError(null);
    const failure = await onSubmit({ name: chosen.name, language: chosen.language, components: buildComponents(shape, values) }, previewText(shape, values));
    setBusy(false);
    if (failure) setError(failure);
    else choose("");
  }

  if (load.state === "loading") return <p className="text-sm text-slate-600" role="status">Loading approved templates…</p>;
  if (load.state === "error") return <p role="alert" className="text-sm text-red-700">Could not load the templates: {load.message}</p>;
  if (templates.length === 0) {
    return (
      <div className="space-y-2 text-sm text-slate-600" data-testid="no-templates">
        <p>No approved templates for this number yet. Create one in WhatsApp Manager; once Meta approves it, WhaTrack picks it up (or sync now).</p>
        <button
          type="button"
          onClick={syncFromMeta}
          disabled={syncing}
          className="rounded-md bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60"
        >
          {syncing ? "Syncing…" : "Sync templates from Meta"}
        </button>
        {syncNote ? <p role="alert" className="text-red-700">{syncNote}</p> : null}
      </div>
    );
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Template message" data-testid="template-form">
      <div>
        <label htmlFor={`${ids}-template`} className="block text-sm font-medium text-slate-800">
          Template
        </label>
        <select id={`${ids}-template`} value={chosenId} onChange={(e) => choose(e.target.value)} className={`mt-1 ${inputClass}`} required>
          <option value="">Choose an approved template…</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.language}){t.category ? ` · ${t.category.toLowerCase()}` : ""}
            </option>
          ))}
        </select>
      </div>

      {chosen && shape ? (
        <div className={`grid gap-3 ${compact ? "" : "sm:grid-cols-2"}`}>
          <div className="space-y-2">
            {shape.mediaHeader ? (
              <p className="rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-900">This template starts with a {shape.mediaHeader.toLowerCase()} header, which can only be sent through the API.</p>
            ) : null}
            <ParameterInputs idPrefix={`${ids}-h`} where="Header" parameters={shape.headerParameters} values={values.header} invalid={attempted} onChange={(header) => setValues((v) => ({ ...v, header }))} />
            <ParameterInputs idPrefix={`${ids}-b`} where="Body" parameters={shape.bodyParameters} values={values.body} invalid={attempted} onChange={(body) => setValues((v) => ({ ...v, body }))} />
            {shape.headerParameters.length + shape.bodyParameters.length === 0 ? <p className="text-sm text-slate-600">This template has no parameters: it is sent as written.</p> : null}
          </div>
          <figure className="rounded-lg bg-[#efeae2] p-3">
            <figcaption className="mb-1 text-xs font-medium text-slate-600">Preview</figcaption>
            <div className="rounded-lg rounded-tr-none bg-[#d9fdd3] px-3 py-2 text-sm text-slate-900 shadow-sm" data-testid="template-preview">
              {shape.header ? (
                <p dir="auto" className="mb-1 font-semibold">
                  <Filled text={shape.header} values={values.header} />
                </p>
              ) : null}
              <p dir="auto" className="whitespace-pre-wrap break-words">
                <Filled text={shape.body} values={values.body} />
              </p>
              {shape.footer ? <p className="mt-1 text-xs text-slate-500">{shape.footer}</p> : null}
            </div>
          </figure>
        </div>
      ) : null}

      {attempted && missing.length > 0 ? (
        <p role="alert" className="text-sm text-red-700">
          Fill in {missing.join(", ")}.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end">
        <button
          type="submit"
          disabled={!chosen || busy}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60"
        >
          {busy ? "Sending…" : submitLabel}
        </button>
      </div>
    </form>
  );
}

function ParameterInputs(props: { idPrefix: string; where: string; parameters: TemplateParameter[]; values: Record<string, string>; invalid: boolean; onChange: (values: Record<string, string>) => void }) {
  const { idPrefix, where, parameters, values, invalid, onChange } = props;
  return parameters.map((p, i) => {
    const id = `${idPrefix}-${i}`;
    const empty = !values[p.key]?.trim();
    return (
      <div key={p.key}>
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {where} {`{{${p.key}}}`}
        </label>
        <input
          id={id}
          value={values[p.key] ?? ""}
          onChange={(e) => onChange({ ...values, [p.key]: e.target.value })}
          maxLength={where === "Header" ? 60 : 1024}
          aria-invalid={invalid && empty ? true : undefined}
          dir="auto"
          autoComplete="off"
          className={`mt-1 ${inputClass} ${invalid && empty ? "border-red-400" : ""}`}
        />
      </div>
    );
  });
}

function Filled({ text, values }: { text: string; values: Record<string, string> }) {
  return fillTemplate(text, values).map((part, i) =>
    part.placeholder === null ? (
      <span key={i}>{part.text}</span>
    ) : values[part.placeholder]?.trim() ? (
      <mark key={i} className="rounded bg-brand-100 px-0.5 text-slate-900">
        {part.text}
      </mark>
    ) : (
      <span key={i} className="rounded bg-amber-100 px-0.5 font-mono text-xs text-amber-900">
        {part.text}
      </span>
    ),
  );
}
