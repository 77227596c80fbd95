import { DATA_CATEGORIES, REQUEST_TYPES } from '@conclave/protocol';
import type { RequestType } from '@conclave/protocol';
import type { FormEvent } from 'react';
import { DATA_CATEGORY_LABELS, REQUEST_TYPE_LABELS } from '../../app/legal-labels';
import { FieldError, FieldSet, TextField } from '../../components/Field';
import { DocumentsField } from './DocumentsField';
import { NdoField } from './NdoField';
import { TargetsField } from './TargetsField';
import { FOREIGN_TYPES } from './request-draft';
import type { FieldErrors, RequestDraft, TargetDraft } from './request-draft';

export interface RequestFormActions {
  onEdit: (patch: Partial<RequestDraft>) => void;
  onEditTarget: (key: string, patch: Partial<TargetDraft>) => void;
  onAddTarget: () => void;
  onRemoveTarget: (key: string) => void;
  onAddFiles: (files: File[]) => void;
  onRemoveFile: (key: string) => void;
  onSubmit: () => void;
}

/** Every field of a government request (issue 7), with each problem shown beside its field. */
export function RequestForm(p: {
  draft: RequestDraft;
  errors: FieldErrors;
  busy: boolean;
  actions: RequestFormActions;
}) {
  const { draft: d, errors: e, actions: a } = p;
  const text = (key: keyof RequestDraft, label: string, extra: { hint?: string } = {}) => (
    <TextField
      label={label}
      value={d[key] as string}
      onChange={(v) => a.onEdit({ [key]: v })}
      error={e[key]}
      {...extra}
    />
  );
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    a.onSubmit();
  };
  return (
    <form className="card wide stack" onSubmit={submit} aria-label="New request" noValidate>
      <div className="field">
        <label htmlFor="request-type">Type of legal process</label>
        <select
          id="request-type"
          value={d.type}
          aria-invalid={e.type ? true : undefined}
          onChange={(ev) => a.onEdit({ type: ev.target.value as RequestType })}
        >
          <option value="">Choose…</option>
          {REQUEST_TYPES.map((t) => (
            <option key={t} value={t}>
              {REQUEST_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        <FieldError error={e.type} />
      </div>
      <div className="row">
        {text('country', 'Country (ISO code)', { hint: 'Two letters, e.g. US' })}
        {text('subdivision', 'State or region (ISO code, optional)', { hint: 'e.g. CA' })}
        {FOREIGN_TYPES.includes(d.type as RequestType) &&
          text('originCountry', 'Country the request comes from (ISO code)')}
      </div>
      {text('legalBasis', 'Legal basis (citation)', { hint: 'e.g. 18 U.S.C. § 2703(d)' })}
      {text('issuingAuthority', 'Issuing authority')}
      {text('externalRef', 'Your reference (optional)')}
      <TextField
        label="Description (optional)"
        multiline
        value={d.description}
        onChange={(v) => a.onEdit({ description: v })}
        error={e.description}
      />
      <TargetsField
        targets={d.targets}
        errors={e}
        onEdit={a.onEditTarget}
        onAdd={a.onAddTarget}
        onRemove={a.onRemoveTarget}
      />
      <FieldSet legend="Data requested" error={e.dataCategories}>
        {DATA_CATEGORIES.map((c) => (
          <label className="check" key={c}>
            <input
              type="checkbox"
              checked={d.dataCategories.includes(c)}
              onChange={(ev) =>
                a.onEdit({
                  dataCategories: ev.target.checked
                    ? [...d.dataCategories, c]
                    : d.dataCategories.filter((x) => x !== c),
                })
              }
            />
            {DATA_CATEGORY_LABELS[c]}
          </label>
        ))}
        <p className="muted">
          Meeting audio, video and screen shares are stored only when a host makes a cloud
          recording, which is never possible with end-to-end encryption. End-to-end encrypted
          content cannot be read by us: it is not held and cannot be produced.
        </p>
      </FieldSet>
      <div className="row">
        <TextField
          label="Date range from (UTC)"
          type="date"
          value={d.rangeFrom}
          onChange={(v) => a.onEdit({ rangeFrom: v })}
          error={e.rangeFrom}
        />
        <TextField
          label="Date range to (UTC)"
          type="date"
          value={d.rangeTo}
          onChange={(v) => a.onEdit({ rangeTo: v })}
          error={e.rangeTo}
        />
        <TextField
          label="Response deadline (UTC)"
          type="date"
          value={d.deadline}
          onChange={(v) => a.onEdit({ deadline: v })}
          error={e.deadline}
        />
      </div>
      <NdoField draft={d} errors={e} onEdit={a.onEdit} />
      <DocumentsField
        legend="Legal process documents"
        files={d.files}
        onAdd={a.onAddFiles}
        onRemove={a.onRemoveFile}
      />
      <button className="button" disabled={p.busy}>
        {d.requestId ? 'Upload the remaining documents' : 'Submit request'}
      </button>
    </form>
  );
}
