/** What protects this meeting right now, stated plainly (DESIGN.md §4.1 rule 1). */
export function SecurityPanel({ onClose }: { onClose: () => void }) {
  const tls = location.protocol === 'https:';
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname);
  return (
    <aside className="panel" aria-label="Security">
      <header className="panel-header">
        <h2>Security</h2>
        <button className="icon-button" aria-label="Close security" onClick={onClose}>×</button>
      </header>
      <dl className="facts">
        <dt>Audio and video</dt>
        <dd>Encrypted in transit between your device and the server (DTLS-SRTP).</dd>
        <dt>Signaling (names, chat, controls)</dt>
        <dd>
          {tls
            ? 'Encrypted in transit (TLS).'
            : local
              ? 'Not encrypted, but it stays on this computer (localhost).'
              : 'Not encrypted: this server runs without TLS. Ask its operator to enable HTTPS.'}
        </dd>
        <dt>End-to-end encryption</dt>
        <dd>Off. The server can process this meeting's media.</dd>
      </dl>
    </aside>
  );
}
