import { FieldSet, TextField } from '../../components/Field';
import type { FieldErrors, NdoChoice, RequestDraft } from './request-draft';

const CHOICES: [NdoChoice, string][] = [
  ['none', 'No nondisclosure order'],
  ['dated', 'A nondisclosure order with an end date'],
  ['undated', 'A nondisclosure order without an end date'],
];

/** Whether a court barred notifying the user, and until when. */
export function NdoField(p: {
  draft: RequestDraft;
  errors: FieldErrors;
  onEdit: (patch: Partial<RequestDraft>) => void;
}) {
  return (
    <FieldSet legend="Nondisclosure order">
      {CHOICES.map(([value, label]) => (
        <label className="check" key={value}>
          <input
            type="radio"
            name="ndo"
            checked={p.draft.ndo === value}
            onChange={() => p.onEdit({ ndo: value })}
          />
          {label}
        </label>
      ))}
      {p.draft.ndo === 'undated' && (
        <p className="warning">
          An order without an end date is a ground for challenge: we will ask for one.
        </p>
      )}
      {p.draft.ndo === 'dated' && (
        <TextField
          label="Order ends on (UTC)"
          type="date"
          value={p.draft.ndoEndDate}
          onChange={(v) => p.onEdit({ ndoEndDate: v })}
          error={p.errors['ndo.endDate']}
        />
      )}
      {p.draft.ndo !== 'none' && (
        <TextField
          label="Order citation"
          value={p.draft.ndoCitation}
          onChange={(v) => p.onEdit({ ndoCitation: v })}
          error={p.errors['ndo.citation']}
        />
      )}
    </FieldSet>
  );
}
