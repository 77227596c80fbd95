import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp';

/** TOTP secrets of users the tests enrolled, by email: sign-in helpers add a code for them. */
export const enrolledTotp = new Map<string, string>();

const lastStep = new Map<string, number>();

/**
 * The code of the next unused 30-second step within the server's ±1 window (a step is accepted
 * once, RFC 6238 §5.2), waiting for the clock when the window is spent.
 */
export async function nextTotpCode(secret: string): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current - 1, (lastStep.get(secret) ?? 0) + 1);
    if (step > current + 1) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    lastStep.set(secret, step);
    return totpCodeAt(secret, new Date(step * 30_000 + 1000));
  }
}
