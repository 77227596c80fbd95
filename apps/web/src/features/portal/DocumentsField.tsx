import { bytes } from '../../app/legal-labels';
import { FieldSet } from '../../components/Field';
import type { FileDraft } from './request-draft';

const STATE_TEXT: Record<FileDraft['state'], string> = {
  ready: 'ready to upload',
  invalid: 'cannot be sent',
  uploading: 'uploading',
  done: 'uploaded',
  failed: 'refused',
};

/** PDF documents with their state, progress and any problem, next to each file. */
export function DocumentsField(p: {
  legend: string;
  files: FileDraft[];
  onAdd: (files: File[]) => void;
  onRemove: (key: string) => void;
}) {
  return (
    <FieldSet legend={p.legend}>
      <label>
        Add PDF documents
        <input
          type="file"
          accept="application/pdf,.pdf"
          multiple
          onChange={(e) => {
            p.onAdd([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </label>
      {p.files.length > 0 && (
        <ul className="file-list" aria-label="Documents">
          {p.files.map((f) => (
            <li key={f.key} data-testid="file-item" data-state={f.state}>
              <span>
                {f.file.name} · {bytes(f.file.size)} · {STATE_TEXT[f.state]}
              </span>
              {(f.state === 'uploading' || f.state === 'done') && (
                <progress max={1} value={f.progress} aria-label={`Upload of ${f.file.name}`} />
              )}
              {f.error && (
                <span className="error" role="alert">
                  {f.error}
                </span>
              )}
              {f.state !== 'done' && f.state !== 'uploading' && (
                <button
                  type="button"
                  className="button secondary small"
                  onClick={() => p.onRemove(f.key)}
                >
                  {`Remove ${f.file.name}`}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </FieldSet>
  );
}
