import { useEffect } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { Loading, PortalLayout } from './PortalLayout';
import { RequestForm } from './RequestForm';
import type { RequestFormActions } from './RequestForm';
import {
  addFiles,
  addTarget,
  editDraft,
  editTarget,
  loadMe,
  removeFile,
  removeTarget,
  signOut,
  submitDraft,
  usePortal,
} from './portal-store';

/** `/legal/portal/new`: the request form; the draft survives errors and navigation. */
export function NewRequestPage() {
  const s = usePortal();
  const navigate = useNavigate();
  useEffect(() => {
    if (s.me === undefined) void loadMe();
  }, [s.me]);
  if (s.me === undefined) return <Loading />;
  if (!s.me) return <Navigate to="/legal/portal" replace />;
  if (!s.me.verified) return <Navigate to="/legal/portal/setup" replace />;
  const actions: RequestFormActions = {
    onEdit: editDraft,
    onEditTarget: editTarget,
    onAddTarget: addTarget,
    onRemoveTarget: removeTarget,
    onAddFiles: (files) => addFiles(files),
    onRemoveFile: (key) => removeFile(key),
    onSubmit: () => void submitDraft().then((id) => id && navigate(`/legal/portal/requests/${id}`)),
  };
  return (
    <PortalLayout
      title="Submit a request"
      me={s.me}
      error={s.error}
      notice={s.notice}
      onSignOut={() => void signOut()}
    >
      <RequestForm draft={s.draft} errors={s.fieldErrors} busy={s.busy} actions={actions} />
    </PortalLayout>
  );
}
