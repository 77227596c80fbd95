// SFrame seal+open versus the raw AES-GCM call of the same backend; shared by the Node run and
// the headless-Chromium run of bench/e2ee.bench.ts (browser-safe: no node:* imports).
import { SFrameContext } from '../../packages/e2ee/src/sframe/context';
import type { CryptoBackend } from '../../packages/e2ee/src/sframe/backend/types';
import { compare, type Comparison } from './e2ee-timing';

export const FRAME_SIZES = [100, 1200, 30 * 1024];

export interface SFrameRow extends Comparison {
  size: number;
}

export async function sframeVsRaw(backend: CryptoBackend, quick: boolean): Promise<SFrameRow[]> {
  const sender = new SFrameContext({ backend });
  const receiver = new SFrameContext({ backend });
  const baseKey = backend.randomBytes(16);
  await sender.addBaseKey(0x123n, baseKey);
  await receiver.addBaseKey(0x123n, baseKey);
  const rawKey = await backend.importAesKey('gcm', backend.randomBytes(16));
  const nonce = backend.randomBytes(12);
  const rows: SFrameRow[] = [];
  for (const size of FRAME_SIZES) {
    const pt = backend.randomBytes(size);
    // Same AAD length as the SFrame header of KID 0x123 with a short CTR (3-4 bytes).
    const aad = new Uint8Array(4);
    const raw = async () => {
      const ct = await backend.aesGcmSeal(rawKey, nonce, aad, pt);
      await backend.aesGcmOpen(rawKey, nonce, aad, ct);
    };
    const sframe = async () => {
      const frame = await sender.encrypt(0x123n, pt);
      await receiver.decrypt(frame);
    };
    const r = await compare(raw, sframe, quick ? { rounds: 7, ms: 60 } : { rounds: 15, ms: 150 });
    rows.push({ size, ...r });
  }
  return rows;
}
