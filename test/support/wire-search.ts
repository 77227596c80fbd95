/**
 * Every byte string in a signaling frame: the frame's text, and each base64 value in it decoded,
 * so a server-blind test can search what the server received for plaintext and derived secrets.
 */
export function blobsOf(frame: string): Buffer[] {
  const out: Buffer[] = [Buffer.from(frame)];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(v)) out.push(Buffer.from(v, 'base64'));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(frame));
  return out;
}
