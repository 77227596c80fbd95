import type { DeviceTrust, E2eeView } from '@conclave/client';
import type { Participant } from '@conclave/protocol';

/** What protects this meeting right now, stated plainly (DESIGN.md §4.1 rules 1 and 7). */
export function SecurityPanel({
  e2ee,
  participants,
  onTrustDevice,
  breakoutRoom,
  onClose,
}: {
  /** The breakout room this device is in (its own MLS group under E2EE), or null. */
  breakoutRoom: string | null;
  e2ee: E2eeView | undefined;
  participants: Participant[];
  /** Accept a known person's new device (by its leaf's signature key). */
  onTrustDevice: (signatureKey: string) => void;
  onClose: () => void;
}) {
  const tls = location.protocol === 'https:';
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname);
  const on = Boolean(e2ee?.local?.inGroup && e2ee.local.encrypting);
  return (
    <aside className="panel" aria-label="Security">
      <header className="panel-header">
        <h2>Security</h2>
        <button className="icon-button" aria-label="Close security" onClick={onClose}>
          ×
        </button>
      </header>
      <dl className="facts">
        <dt>Audio and video</dt>
        <dd>
          {on
            ? 'End-to-end encrypted: sealed on each device (MLS + SFrame). The server forwards them but cannot read them.'
            : 'Encrypted in transit between your device and the server (DTLS-SRTP). The server can process this media.'}
        </dd>
        <dt>Signaling (names, controls)</dt>
        <dd>
          {tls
            ? 'Encrypted in transit (TLS).'
            : local
              ? 'Not encrypted, but it stays on this computer (localhost).'
              : 'Not encrypted: this server runs without TLS. Ask its operator to enable HTTPS.'}
        </dd>
        <dt>End-to-end encryption</dt>
        <dd data-testid="e2ee-status">
          {on
            ? 'On'
            : e2ee?.meeting.status === 'starting'
              ? 'Starting…'
              : e2ee?.meeting.status === 'on'
                ? 'On — this device is getting the key…'
                : 'Off'}
        </dd>
      </dl>
      {e2ee?.joinFailure && (
        <div role="alert" className="warning" data-testid="e2ee-join-failure">
          <p>{e2ee.joinFailure}</p>
        </div>
      )}
      {e2ee && e2ee.membersWhoCouldNotJoin.length > 0 && (
        <div role="alert" className="warning" data-testid="e2ee-members-not-joined">
          <p>Could not join the end-to-end encrypted meeting:</p>
          <ul>
            {e2ee.membersWhoCouldNotJoin.map((f) => (
              <li key={f.participantId}>
                {f.displayName}: {f.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {on && e2ee?.local && (
        <>
          <h3>Security code{breakoutRoom ? ` of ${breakoutRoom}` : ''}</h3>
          {breakoutRoom && (
            <p className="muted" data-testid="breakout-group">
              Breakout room {breakoutRoom} is its own encrypted group: the code and the devices
              below are this room's; the main room and the other rooms have their own keys.
            </p>
          )}
          <p className="security-code" data-testid="security-code" aria-label="Security code">
            {e2ee.local.securityCode}
          </p>
          <p className="muted">
            Everyone in the meeting sees the same code. It is derived from the group's keys, which
            commit to every device listed below: if you read the same code aloud, you also agree on
            exactly who holds the key. It changes when someone joins or leaves.
          </p>
          <h3>Devices that hold the key ({e2ee.local.roster.length})</h3>
          <ul className="roster" data-testid="key-roster">
            {e2ee.local.roster.map((m) => {
              const p = participants.find((x) => x.id === m.deviceId);
              return (
                <li key={`${m.leafIndex}`} data-trust={m.trust}>
                  {m.displayName}
                  {p ? ` · ${p.clientLabel}` : ' — not in the participant list'}
                  {` · ${trustLabel(m.trust, m.displayName)} · key `}
                  <code>{keyFingerprint(m.signatureKey)}</code>
                  {m.trust === 'new-device' && (
                    <button className="button small" onClick={() => onTrustDevice(m.signatureKey)}>
                      Trust this device
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          {e2ee.rosterMismatch.length > 0 && (
            <div role="alert" className="warning" data-testid="roster-warning">
              {e2ee.rosterMismatch.map((w) => (
                <p key={w}>{w}</p>
              ))}
            </div>
          )}
        </>
      )}
    </aside>
  );
}

/**
 * What this device knows about who a key holder is (issue 14): signed-in people's device keys are
 * remembered from the first meeting (trust on first use); guests' names are only what the server
 * relays.
 */
function trustLabel(trust: DeviceTrust, name: string): string {
  switch (trust) {
    case 'self':
      return 'this device, signed in';
    case 'known':
      return 'verified: signed in, device met before';
    case 'first-meeting':
      return 'signed in, first meeting: device remembered';
    case 'new-device':
      return `new device for ${name}: check with them before trusting it`;
    case 'guest':
      return 'unverified guest · name not verified';
  }
}

/** A short, readable form of a device's public signature key (first 8 bytes, hex). */
function keyFingerprint(b64: string): string {
  const bytes = atob(b64).slice(0, 8);
  return [...bytes]
    .map((c) => c.charCodeAt(0).toString(16).padStart(2, '0'))
    .join('')
    .replace(/(.{4})(?!$)/g, '$1 ');
}
