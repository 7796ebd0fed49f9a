import type { InputHTMLAttributes, ReactNode } from "react";

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-600/40 disabled:bg-slate-50";

/** A labelled input with an optional hint, wired up for screen readers. */
export function FormField({ id, label, hint, optional, children }: { id: string; label: string; hint?: ReactNode; optional?: boolean; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {optional ? <span className="font-normal text-slate-500"> (optional)</span> : null}
      </label>
      <div className="mt-1">{children}</div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextInput(props: InputHTMLAttributes<HTMLInputElement> & { id: string; hasHint?: boolean }) {
  const { hasHint, className, ...rest } = props;
  return <input {...rest} aria-describedby={hasHint ? `${props.id}-hint` : undefined} className={`${inputClass} ${className ?? ""}`} />;
}
