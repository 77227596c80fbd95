/**
 * The end of a settings form: an explicit Save, and what happened — unsaved changes, saving,
 * saved, or the error — next to it, announced to screen readers.
 */
export function SaveBar(props: {
  dirty: boolean;
  busy: boolean;
  error: string | undefined;
  notice: string | undefined;
}) {
  const status = props.error
    ? undefined
    : props.busy
      ? 'Saving…'
      : props.dirty
        ? 'Unsaved changes'
        : props.notice;
  return (
    <div className="save-bar">
      <button type="submit" className="button" disabled={props.busy || !props.dirty}>
        Save
      </button>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <p
        className={props.dirty ? 'muted' : 'ok'}
        role="status"
        data-testid="save-status"
        data-state={props.dirty ? 'dirty' : props.notice ? 'saved' : 'clean'}
      >
        {status}
      </p>
    </div>
  );
}
