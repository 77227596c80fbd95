/**
 * The admin history in words: each audit action gets a sentence, and its detail is described
 * in plain terms instead of JSON. The action code stays beside it for support.
 */

const ACTIONS: Record<string, string> = {
  'account.create': 'Created the account',
  'account.location_change': 'Changed the account location',
  'user.invite': 'Invited a user',
  'user.invite_accepted': 'Accepted an invitation',
  'user.role_change': 'Changed a role',
  'user.deactivate': 'Deactivated a user',
  'user.reactivate': 'Reactivated a user',
  'user.sign_out_everywhere': 'Signed a user out everywhere',
  'user.reset_2fa': 'Reset two-factor sign-in',
  'user.reset_2fa_by_operator': 'Operator reset two-factor sign-in',
  'user.password_reset_by_operator': 'Operator reset a password',
  'user.reviewer_confirmed': 'Confirmed a legal reviewer',
  'plan.change': 'Changed the plan',
  'meeting_settings.change': 'Changed meeting settings',
  'security.require_2fa': 'Changed the two-factor requirement',
  'outbox.read': 'Read the outbox',
  'recording.settings_changed': 'Changed recording settings',
  'recording.deleted': 'Deleted a recording',
  'recording.expired': 'A recording expired and was deleted',
};

/** A readable name for an audit action code. */
export function actionText(action: string): string {
  return ACTIONS[action] ?? humanize(action);
}

const FIELD: Record<string, string> = {
  allowE2ee: 'end-to-end encryption allowed',
  unsupportedClientPolicy: 'clients without end-to-end encryption',
  waitingRoomByDefault: 'waiting room by default',
  passcodeRequired: 'passcode required',
  sessionsEnded: 'sessions ended',
  ownerEmail: 'owner',
  meetingId: 'meeting',
  startedAt: 'started',
  count: 'messages',
};

function humanize(key: string): string {
  const words = key
    .replace(/[._]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueText(v: unknown): string {
  if (v === true) return 'on';
  if (v === false) return 'off';
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return v.length === 1 ? '1 item' : `${v.length} items`;
  if (typeof v === 'object') return describeObject(v as Record<string, unknown>);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

function describeObject(o: Record<string, unknown>): string {
  return Object.entries(o)
    .map(([k, v]) => `${FIELD[k] ?? humanize(k).toLowerCase()}: ${valueText(v)}`)
    .join(', ');
}

/**
 * The detail in words. A from/to pair names only what changed ("waiting room by default: off →
 * on"); anything else is listed as "field: value".
 */
export function detailText(detail: Record<string, unknown>): string {
  const { from, to, ...rest } = detail;
  const parts: string[] = [];
  if (from !== undefined || to !== undefined) {
    if (from && to && typeof from === 'object' && typeof to === 'object') {
      const f = from as Record<string, unknown>;
      const t = to as Record<string, unknown>;
      for (const k of Object.keys(t))
        if (JSON.stringify(f[k]) !== JSON.stringify(t[k]))
          parts.push(
            `${FIELD[k] ?? humanize(k).toLowerCase()}: ${valueText(f[k])} → ${valueText(t[k])}`,
          );
    } else parts.push(`${valueText(from)} → ${valueText(to)}`);
  }
  if (Object.keys(rest).length > 0) parts.push(describeObject(rest));
  return parts.join('; ');
}

/** "1 user", "2 users". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
