import { GroupSession, SigningKey } from '@conclave/e2ee';
import { PROTOCOL_VERSION } from '@conclave/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { e2eeView, selfId, turnOnE2ee, waitForE2eeShield } from '../support/browser';
import type { Participant } from '../support/browser';
import { MemoryDeviceKeyStore } from '@conclave/client';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { cookieOf, joinBot, waitForView } from '../support/bots';
import { hostWithGuests, serverAndChromium } from '../support/browser-suite';
import { WsClient } from '../support/ws-client';

// What a person sees when the server attacks an E2EE meeting (issue 14), in real Chromium. The
// server's test hook `room.inject` sends events no honest server would: the same power a
// modified server has. Node-bot tests cover every attack (test/scenario/e2ee-hostile-ds.test.ts);
// here: the key roster a person reads, the warning shield, and a forged downgrade.
describe('E2EE against a hostile server, as people see it', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let bob: Participant;
  let meetingId: string;

  beforeAll(async () => {
    let invite: string;
    ({
      host,
      invite,
      guests: [bob],
    } = await hostWithGuests(suite, ['Bob']));
    meetingId = new URL(invite).pathname.split('/').pop()!;
    await turnOnE2ee(host);
    for (const p of [host, bob]) await waitForE2eeShield(p);
  }, 90_000);

  const room = async () => (await suite.server.rooms.room(meetingId as never))!;

  it('the key roster lists every device with its client and key fingerprint, and says what the code covers', async () => {
    await bob.page.getByTestId('shield').click();
    const items = bob.page.getByTestId('key-roster').getByRole('listitem');
    await expect(items.count()).resolves.toBe(2);
    for (const name of ['Hana Host', 'Bob'])
      await expect(items.filter({ hasText: name }).textContent()).resolves.toMatch(
        /· .+ · name not verified · key ([0-9a-f]{4} ){3}[0-9a-f]{4}/,
      );
    await bob.page.getByText(/commit to every device listed below/).waitFor();
    await bob.page.getByRole('button', { name: 'Close security' }).click();
  });

  it('a forged downgrade naming nobody: the host is warned and encryption stays on everywhere', async () => {
    (await room()).inject({
      type: 'e2ee.downgradeRequired',
      participantId: '00000000-0000-4000-8000-000000000000' as never,
      displayName: 'Imaginary client',
      clientLabel: 'Old browser',
    });
    await host.page
      .getByTestId('toast')
      .filter({ hasText: /Ignored a request from the server .*nobody by that name/ })
      .waitFor({ timeout: 5000 });
    await new Promise((r) => setTimeout(r, 1000));
    for (const p of [host, bob]) expect((await e2eeView(p)).securityCode).not.toBeNull();
    await bob.page.getByTestId('shield').filter({ hasText: 'End-to-end encrypted' }).waitFor();
  });

  it('a ghost device uploads a KeyPackage claiming to be the host: the host’s browser refuses it and says so', async () => {
    const hostId = await selfId(host);
    const ghost = await WsClient.connect(suite.server.url);
    const key = await SigningKey.generate();
    await ghost.request({
      type: 'join',
      protocolVersion: PROTOCOL_VERSION,
      meetingId,
      displayName: 'Someone',
      capabilities: {
        encodedTransform: 'native',
        mlsCiphersuites: [1],
        clientLabel: 'Ghost',
        mlsSignatureKey: Buffer.from(key.publicKey).toString('base64'),
      },
    });
    const forged = await GroupSession.makeKeyPackage(
      { userId: hostId, displayName: 'Hana Host', deviceId: hostId },
      key,
    );
    await ghost.request({
      type: 'e2ee.keyPackage',
      keyPackage: Buffer.from(forged.keyPackage).toString('base64'),
    });
    await host.page
      .getByTestId('toast')
      .filter({ hasText: /claiming to be Hana Host: its key is not the one that device announced/ })
      .first()
      .waitFor({ timeout: 5000 });
    for (const p of [host, bob]) {
      const names = await p.page.evaluate(() =>
        (
          window as unknown as {
            conclave: {
              room: { e2ee: { view: { local: { roster: { displayName: string }[] } } } };
            };
          }
        ).conclave.room.e2ee.view.local.roster.map((m) => m.displayName),
      );
      expect(names.sort()).toEqual(['Bob', 'Hana Host']);
    }
    ghost.close();
  });

  it('"E2EE off" sealed by another member’s device and relayed as the host’s: Bob’s browser ignores it and keeps encrypting', async () => {
    const carol = await joinBot(suite.server.url, meetingId, 'Carol bot');
    await waitForView(carol, (v) => v.local?.inGroup === true);
    const sealed = await carol.worker.engine.sealControl({ kind: 'e2ee-off', reason: 'host' });
    (await room()).inject({
      type: 'e2ee.app',
      from: (await selfId(host)) as never,
      message: Buffer.from(sealed).toString('base64'),
    });
    await bob.page
      .getByTestId('toast')
      .filter({ hasText: 'did not come from the device that turned it on' })
      .first()
      .waitFor({ timeout: 5000 });
    await bob.page.getByTestId('shield').filter({ hasText: 'End-to-end encrypted' }).waitFor();
    expect((await e2eeView(bob)).securityCode).not.toBeNull();
    await carol.room.leave();
  });

  it('a signed-in person returns on a device key nobody met: Bob’s browser shows "New device for Alice" until he trusts it', async () => {
    await createAccountWithOwner(suite.server.stores, {
      name: 'Alice practice',
      ownerEmail: 'alice@hostile.test',
      ownerName: 'Alice',
      ownerPassword: 'owner password 123',
      plan: 'business',
    });
    const api = new ApiClient(suite.server.url);
    expect((await api.signIn('alice@hostile.test', 'owner password 123')).status).toBe(200);
    const cookie = cookieOf(api);
    let alice = await joinBot(suite.server.url, meetingId, 'Alice', undefined, {
      cookie,
      deviceKeys: new MemoryDeviceKeyStore(),
    });
    await waitForView(alice, (v) => v.local?.roster.length === 3);
    await bob.page.getByTestId('shield').click();
    const aliceItem = bob.page.getByTestId('key-roster').getByRole('listitem').filter({
      hasText: 'Alice',
    });
    // Key changes here can wait behind the ghost's refused KeyPackage (the Delivery Service asks
    // again after its 10 s commit timeout), hence the longer waits.
    await aliceItem.filter({ hasText: 'signed in, first meeting' }).waitFor({ timeout: 25_000 });
    await alice.room.leave();
    await aliceItem.waitFor({ state: 'detached', timeout: 25_000 });
    // The same account from a device key Bob's browser has not met (the server's own device).
    alice = await joinBot(suite.server.url, meetingId, 'Alice', undefined, {
      cookie,
      deviceKeys: new MemoryDeviceKeyStore(),
    });
    await bob.page
      .getByTestId('roster-warning')
      .filter({ hasText: /New device for Alice/ })
      .waitFor({ timeout: 25_000 });
    await aliceItem.getByRole('button', { name: 'Trust this device' }).click();
    await bob.page.getByTestId('roster-warning').waitFor({ state: 'detached', timeout: 5000 });
    await aliceItem.filter({ hasText: 'verified: signed in, device met before' }).waitFor();
    await bob.page.getByRole('button', { name: 'Close security' }).click();
    await alice.room.leave();
  });

  it('the server swaps the host’s announced device key: within 2 s every other device shows the warning shield and why', async () => {
    const r = await room();
    const hostId = await selfId(host);
    // The host's entry as Bob's app holds it, with another key: what a lying server would send.
    const view = await bob.page.evaluate(
      (id) =>
        (
          window as unknown as {
            conclave: { room: { participants: { id: string }[] } };
          }
        ).conclave.room.participants.find((p) => p.id === id)!,
      hostId,
    );
    const t0 = Date.now();
    r.inject({
      type: 'participant.updated',
      participant: { ...view, mlsSignatureKey: `${'A'.repeat(43)}=` } as never,
    });
    await bob.page
      .getByTestId('shield')
      .filter({ hasText: 'check who holds the key' })
      .waitFor({ timeout: 2000 });
    expect(Date.now() - t0).toBeLessThan(2500);
    await bob.page.getByTestId('shield').click();
    await bob.page
      .getByTestId('roster-warning')
      .filter({ hasText: /changed the key of Hana Host's device/ })
      .waitFor();
  });
});
