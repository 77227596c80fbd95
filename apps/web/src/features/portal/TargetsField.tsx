import { TARGET_TYPES } from '@conclave/protocol';
import type { TargetType } from '@conclave/protocol';
import { TARGET_TYPE_LABELS } from '../../app/legal-labels';
import { FieldError, FieldSet } from '../../components/Field';
import type { FieldErrors, TargetDraft } from './request-draft';

/** The accounts or meetings a request is about: several, each of a kind. */
export function TargetsField(p: {
  targets: TargetDraft[];
  errors: FieldErrors;
  onEdit: (key: string, patch: Partial<TargetDraft>) => void;
  onAdd: () => void;
  onRemove: (key: string) => void;
}) {
  return (
    <FieldSet legend="Targets" error={p.errors.targets}>
      {p.targets.map((t, i) => (
        <div className="row" key={t.key} data-testid="target-row">
          <label>
            {`Target ${i + 1} kind`}
            <select
              value={t.type}
              onChange={(e) => p.onEdit(t.key, { type: e.target.value as TargetType })}
            >
              {TARGET_TYPES.map((k) => (
                <option key={k} value={k}>
                  {TARGET_TYPE_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {`Target ${i + 1}`}
            <input
              value={t.value}
              aria-invalid={p.errors[`targets.${i}.value`] ? true : undefined}
              onChange={(e) => p.onEdit(t.key, { value: e.target.value })}
            />
          </label>
          {p.targets.length > 1 && (
            <button
              type="button"
              className="button secondary small"
              onClick={() => p.onRemove(t.key)}
            >
              {`Remove target ${i + 1}`}
            </button>
          )}
          <FieldError error={p.errors[`targets.${i}.value`] ?? p.errors[`targets.${i}.type`]} />
        </div>
      ))}
      <button type="button" className="button secondary small" onClick={p.onAdd}>
        Add a target
      </button>
    </FieldSet>
  );
}
