import { useId } from 'react';
import type { ReactNode } from 'react';

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'tel';
  multiline?: boolean;
  required?: boolean;
  autoComplete?: string;
  maxLength?: number;
}

/** A labelled input with its validation message right under it (aria-describedby). */
export function TextField(p: TextFieldProps) {
  const id = useId();
  const described = [p.hint && `${id}-hint`, p.error && `${id}-error`].filter(Boolean).join(' ');
  const common = {
    id,
    value: p.value,
    required: p.required,
    maxLength: p.maxLength,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      {p.multiline ? (
        <textarea {...common} rows={4} onChange={(e) => p.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={p.type ?? 'text'}
          autoComplete={p.autoComplete}
          onChange={(e) => p.onChange(e.target.value)}
        />
      )}
      {p.hint && (
        <small id={`${id}-hint`} className="muted">
          {p.hint}
        </small>
      )}
      <FieldError id={`${id}-error`} error={p.error} />
    </div>
  );
}

export function FieldError({ id, error }: { id?: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="error field-error">
      {error}
    </p>
  );
}

/** A group of related controls (radio buttons, checkboxes) with one legend and one message. */
export function FieldSet(p: { legend: string; error?: string | undefined; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset
      className="fieldset"
      aria-invalid={p.error ? true : undefined}
      aria-describedby={p.error ? id : undefined}
    >
      <legend>{p.legend}</legend>
      {p.children}
      <FieldError id={id} error={p.error} />
    </fieldset>
  );
}

/** The outcome of the last action: an alert for errors, a status line for success. */
export function Feedback(props: { error: string | undefined; notice: string | undefined }) {
  return (
    <>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {props.notice && !props.error && (
        <p className="ok" role="status">
          {props.notice}
        </p>
      )}
    </>
  );
}
