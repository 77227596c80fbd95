import { formatMeetingId } from '@conclave/protocol';
import type { MeetingId } from '@conclave/protocol';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { CameraIcon, MicIcon } from '../../components/icons';
import { savedDisplayName } from '../../state/host-keys';
import type { LocalMedia } from './useLocalMedia';
import { VideoView } from './VideoView';

export interface PreJoinProps {
  meetingId: MeetingId;
  requiresPasscode: boolean;
  media: LocalMedia;
  busy: boolean;
  /** Why joining failed; a passcode error is shown beside the passcode field. */
  error: { message: string; code: string | undefined } | undefined;
  onJoin: (displayName: string, passcode: string | undefined) => Promise<void>;
}

export function PreJoin({ meetingId, requiresPasscode, media, busy, error, onJoin }: PreJoinProps) {
  const [name, setName] = useState(savedDisplayName());
  const [passcode, setPasscode] = useState('');
  const [nameError, setNameError] = useState<string>();
  const mics = media.devices.filter((d) => d.kind === 'audioinput');
  const cams = media.devices.filter((d) => d.kind === 'videoinput');
  const blocked = media.micStatus === 'denied' || media.camStatus === 'denied';
  const passcodeError = error?.code?.startsWith('PASSCODE') ? error.message : undefined;
  const otherError = passcodeError ? undefined : error?.message;
  const micOn = media.micOn && Boolean(media.microphone);
  const camOn = media.camOn && Boolean(media.camera);

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setNameError('Enter a name so others know who you are.');
      return;
    }
    setNameError(undefined);
    void onJoin(trimmed, requiresPasscode ? passcode : undefined);
  }

  return (
    <main className="screen center">
      <section className="card prejoin" aria-labelledby="prejoin-title">
        <h1 id="prejoin-title">
          Join meeting <span className="nowrap">{formatMeetingId(meetingId)}</span>
        </h1>
        <div className="prejoin-media">
          <div className="preview">
            {media.camera ? (
              <VideoView track={media.camera} muted mirror label="Your camera preview" />
            ) : (
              <div className="preview-off" role="img" aria-label="Camera is off">
                {media.camStatus === 'pending' ? 'Starting camera…' : 'Camera off'}
              </div>
            )}
          </div>
          {blocked && (
            <p role="alert" className="warning">
              {media.camStatus === 'denied' && media.micStatus === 'denied'
                ? 'Camera and microphone are blocked by your browser.'
                : media.camStatus === 'denied'
                  ? 'The camera is blocked by your browser.'
                  : 'The microphone is blocked by your browser.'}{' '}
              You can join without them, or allow them in the browser's site settings and reload.
            </p>
          )}
        </div>
        <form onSubmit={submit} className="stack">
          <label>
            Your name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={64}
              autoFocus
            />
          </label>
          {nameError && (
            <p role="alert" className="error">
              {nameError}
            </p>
          )}
          {requiresPasscode && (
            <div className="field">
              <label>
                Passcode
                <input
                  value={passcode}
                  onChange={(e) => setPasscode(e.target.value)}
                  maxLength={64}
                  autoComplete="off"
                  aria-invalid={passcodeError ? true : undefined}
                  aria-describedby={passcodeError ? 'passcode-error' : undefined}
                />
              </label>
              {passcodeError && (
                <p id="passcode-error" role="alert" className="error field-error">
                  {passcodeError}
                </p>
              )}
            </div>
          )}
          <div className="row">
            <button
              type="button"
              className={`toggle ${micOn ? 'on' : 'off'}`}
              aria-pressed={micOn}
              disabled={!media.microphone}
              onClick={() => media.setMicOn(!media.micOn)}
            >
              <MicIcon off={!micOn} /> {micOn ? 'Microphone on' : 'Microphone off'}
            </button>
            <button
              type="button"
              className={`toggle ${camOn ? 'on' : 'off'}`}
              aria-pressed={camOn}
              disabled={media.camStatus === 'denied' || media.camStatus === 'unavailable'}
              onClick={() => void media.setCamOn(!media.camOn)}
            >
              <CameraIcon off={!camOn} /> {camOn ? 'Camera on' : 'Camera off'}
            </button>
          </div>
          {mics.length > 0 && (
            <label>
              Microphone
              <select
                value={media.micDeviceId ?? ''}
                onChange={(e) => void media.chooseMicrophone(e.target.value)}
              >
                {mics.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Microphone ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
          )}
          {cams.length > 0 && (
            <label>
              Camera
              <select
                value={media.camDeviceId ?? ''}
                onChange={(e) => void media.chooseCamera(e.target.value)}
              >
                {cams.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Camera ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button className="button" type="submit" disabled={busy}>
            {busy ? 'Joining…' : 'Join now'}
          </button>
          {otherError && (
            <p role="alert" className="error">
              {otherError}
            </p>
          )}
        </form>
      </section>
    </main>
  );
}
