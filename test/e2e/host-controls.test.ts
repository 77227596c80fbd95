import { beforeAll, describe, expect, it } from 'vitest';
import { newParticipant, selfId, chooseEndForAll, offersEndForAll } from '../support/browser';
import type { Participant } from '../support/browser';
import { hostWithGuests, serverAndChromium } from '../support/browser-suite';

describe('host controls in real browsers', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let bob: Participant;
  let carol: Participant;
  let invite: string;

  beforeAll(async () => {
    ({
      host,
      invite,
      guests: [bob, carol],
    } = await hostWithGuests(suite, ['Bob', 'Carol']));
  });

  it('a participant has no host controls', async () => {
    await bob.page.getByRole('button', { name: /^Participants/ }).click();
    await expect(bob.page.getByRole('button', { name: 'Remove Carol' }).count()).resolves.toBe(0);
    await expect(offersEndForAll(bob)).resolves.toBe(false);
  });

  it('the host mutes a participant: their button shows muted and everyone sees the indicator', async () => {
    await host.page.getByRole('button', { name: /^Participants/ }).click();
    await host.page.getByRole('button', { name: 'Mute Bob' }).click();
    await bob.page.getByRole('button', { name: 'Unmute' }).waitFor({ timeout: 3000 });
    await bob.page.getByText('The host muted your microphone.').waitFor({ timeout: 3000 });
    const bobTile = carol.page.locator(
      `[data-testid="tile"][data-participant-id="${await selfId(bob)}"]`,
    );
    await bobTile.getByLabel('Microphone muted').waitFor({ timeout: 3000 });
    // Only Bob can unmute himself.
    await bob.page.getByRole('button', { name: 'Unmute' }).click();
    await bobTile.getByLabel('Microphone muted').waitFor({ state: 'detached', timeout: 3000 });
  });

  it('the host removes a participant: they see why, and the others no longer see them', async () => {
    const carolId = await selfId(carol);
    await host.page.getByRole('button', { name: 'Remove Carol' }).click();
    // A destructive host action asks first (issue 17).
    await host.page
      .getByRole('alertdialog', { name: 'Remove Carol from the meeting?' })
      .getByRole('button', { name: 'Remove', exact: true })
      .click();
    await carol.page
      .getByRole('heading', { name: 'You were removed from the meeting' })
      .waitFor({ timeout: 3000 });
    for (const p of [host, bob]) {
      await p.page
        .locator(`[data-testid="tile"][data-participant-id="${carolId}"]`)
        .waitFor({ state: 'detached', timeout: 3000 });
    }
  });

  it('the host ends the meeting for all: everyone sees it ended and the link stops working', async () => {
    await chooseEndForAll(host);
    await host.page.getByRole('alertdialog', { name: 'End the meeting for everyone?' }).waitFor();
    await host.page.getByRole('button', { name: 'End meeting for all' }).click();
    for (const p of [host, bob]) {
      await p.page
        .getByRole('heading', { name: 'This meeting has ended' })
        .waitFor({ timeout: 5000 });
    }
    const late = await newParticipant(suite.browser, 'Late');
    await late.page.goto(invite);
    await late.page
      .getByRole('heading', { name: 'This meeting has ended' })
      .waitFor({ timeout: 5000 });
  });
});
