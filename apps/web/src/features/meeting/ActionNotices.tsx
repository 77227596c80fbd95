import type { E2eeView } from '@conclave/client';

/**
 * What needs an answer stays on screen as one card until answered (not a toast): the host's
 * downgrade countdown and the offer to turn end-to-end encryption back on.
 */
export function ActionNotices(props: {
  countdown: E2eeView['downgradeCountdown'] | null;
  reenableOffer: string | undefined;
  isHost: boolean;
  onKeepOn: () => void;
  onReenable: () => void;
  onNotNow: () => void;
}) {
  const { countdown, reenableOffer } = props;
  if (!countdown && !(props.isHost && reenableOffer)) return null;
  return (
    <div className="action-notices">
      {countdown && (
        <div className="action-card warning" role="alert" data-testid="downgrade-countdown">
          <p>
            {countdown.displayName} joined from {countdown.clientLabel}, which cannot do end-to-end
            encryption. Encryption turns off in a few seconds so they can join.
          </p>
          <button className="button small" onClick={props.onKeepOn}>
            Keep encryption on (keep them waiting)
          </button>
        </div>
      )}
      {!countdown && props.isHost && reenableOffer && (
        <div className="action-card info" role="status">
          <p>{reenableOffer} left. Turn end-to-end encryption back on?</p>
          <div className="row">
            <button className="button small" onClick={props.onReenable}>
              Turn on
            </button>
            <button className="button small secondary" onClick={props.onNotNow}>
              Not now
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
