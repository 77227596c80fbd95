import { beforeAll, describe, expect, it } from 'vitest';
import { turnOnE2ee, waitForE2eeShield } from '../support/browser';
import type { Participant } from '../support/browser';
import { hostWithGuests, serverAndChromium } from '../support/browser-suite';

describe('text chat in real browsers', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let bob: Participant;
  let carol: Participant;

  beforeAll(async () => {
    ({
      host,
      guests: [bob, carol],
    } = await hostWithGuests(suite, ['Bob', 'Carol']));
  });

  const openChat = async (p: Participant) => {
    if (!(await p.page.getByRole('complementary', { name: 'Chat' }).isVisible()))
      await p.page.getByRole('button', { name: /^Chat/ }).click();
  };
  const send = async (p: Participant, text: string, to = 'Everyone') => {
    await openChat(p);
    await p.page.getByLabel('To').selectOption({ label: to });
    await p.page.getByLabel('Message').fill(text);
    await p.page.getByRole('button', { name: 'Send' }).click();
  };

  it('a public message reaches everyone; unread messages show a badge', async () => {
    await send(bob, 'Hello all, agenda at https://example.org/agenda');
    await host.page.getByRole('button', { name: 'Chat (1 new)' }).waitFor({ timeout: 5000 });
    await openChat(host);
    const msg = host.page.getByTestId('chat-message').filter({ hasText: 'Hello all' });
    await msg.waitFor();
    await expect(
      msg.getByRole('link', { name: 'https://example.org/agenda' }).getAttribute('rel'),
    ).resolves.toContain('noopener');
    await host.page.getByRole('button', { name: 'Chat', exact: true }).waitFor();
  });

  it('a private message reaches only its recipient', async () => {
    await send(bob, 'psst, just for Carol', 'Carol (private)');
    await openChat(carol);
    await carol.page
      .getByTestId('chat-message')
      .filter({ hasText: 'psst, just for Carol' })
      .waitFor();
    await new Promise((r) => setTimeout(r, 500));
    await expect(
      host.page.getByTestId('chat-message').filter({ hasText: 'psst' }).count(),
    ).resolves.toBe(0);
  });

  it('HTML and script-looking text render as text, never as markup', async () => {
    const evil =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> javascript:alert(1)';
    await send(bob, evil);
    const shown = host.page.getByTestId('chat-message').filter({ hasText: '<img src=x' });
    await shown.waitFor();
    await expect(shown.locator('img, script').count()).resolves.toBe(0);
    await expect(shown.getByRole('link').count()).resolves.toBe(0);
    await expect(
      host.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).resolves.toBeUndefined();
  });

  it('an oversized message is refused with an error and disturbs no one', async () => {
    const reply = await bob.page.evaluate(async () => {
      const signal = (
        window as unknown as {
          conclave: { room: { signal: { request(m: object): Promise<unknown> } } };
        }
      ).conclave.room.signal;
      return signal.request({ type: 'chat.send', text: 'x'.repeat(5000), to: null }).then(
        () => 'accepted',
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      );
    });
    expect(reply).toMatch(/^MESSAGE_MALFORMED: Messages are at most 2000 characters/);
    await send(carol, 'still working');
    await host.page.getByTestId('chat-message').filter({ hasText: 'still working' }).waitFor();
  });

  it('the host can turn chat off; participants are told and cannot send', async () => {
    await openChat(host);
    await host.page.getByLabel('Who can chat').selectOption('off');
    await openChat(carol);
    await carol.page.getByText('The host has turned chat off.').waitFor();
    await host.page.getByLabel('Who can chat').selectOption('everyone');
    await carol.page.getByLabel('Message').waitFor();
  });

  it('while E2EE is on, chat stays available with a lock: public and private messages arrive sealed, plaintext is refused', async () => {
    await turnOnE2ee(host);
    for (const p of [host, bob, carol]) await waitForE2eeShield(p);
    await openChat(bob);
    await bob.page.getByTestId('chat-e2ee').filter({ hasText: 'End-to-end encrypted' }).waitFor();
    await bob.page.getByText(/History starts when you joined/).waitFor();
    await send(bob, 'sealed hello 6021');
    for (const p of [host, carol]) {
      await openChat(p);
      await p.page
        .getByTestId('chat-message')
        .filter({ hasText: 'sealed hello 6021' })
        .waitFor({ timeout: 5000 });
    }
    await send(carol, 'sealed note for Hana 6022', 'Hana Host (private)');
    await host.page
      .getByTestId('chat-message')
      .filter({ hasText: 'sealed note for Hana 6022' })
      .waitFor({ timeout: 5000 });
    await new Promise((r) => setTimeout(r, 500));
    await expect(
      bob.page.getByTestId('chat-message').filter({ hasText: '6022' }).count(),
    ).resolves.toBe(0);
    const reply = await bob.page.evaluate(async () => {
      const signal = (
        window as unknown as {
          conclave: { room: { signal: { request(m: object): Promise<unknown> } } };
        }
      ).conclave.room.signal;
      return signal.request({ type: 'chat.send', text: 'sneaky', to: null }).then(
        () => 'accepted',
        (e: Error & { code?: string }) => e.code,
      );
    });
    expect(reply).toBe('E2EE_FEATURE_UNAVAILABLE');
  });
});
