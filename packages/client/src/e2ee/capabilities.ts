import type { Capabilities } from '@conclave/protocol';

/**
 * Feature detection (DESIGN.md §4.1 rule 5): an encoded-transform API and WebCrypto for our MLS
 * ciphersuite. Never the user-agent string; `clientLabel` is for notices only.
 */
export function detectCapabilities(): Capabilities {
  const g = globalThis as unknown as {
    RTCRtpScriptTransform?: unknown;
    RTCRtpSender?: { prototype: Record<string, unknown> };
    crypto?: { subtle?: unknown };
    Worker?: unknown;
    navigator?: {
      userAgentData?: { brands?: { brand: string; version: string }[]; platform?: string };
      userAgent?: string;
    };
  };
  // Where both exist (Chromium) the encoded-streams API is used: with RTCRtpScriptTransform,
  // Chromium stops running the sender transform after replaceTrack() (seen here with Chromium
  // 156, and why LiveKit avoids it on Chromium). Safari and Firefox have only the standard one.
  const encodedTransform =
    g.RTCRtpSender && typeof g.RTCRtpSender.prototype.createEncodedStreams === 'function'
      ? 'encoded-streams'
      : typeof g.RTCRtpScriptTransform === 'function'
        ? 'script-transform'
        : null;
  const mlsCiphersuites = g.crypto?.subtle && typeof g.Worker === 'function' ? [1] : [];
  return { encodedTransform, mlsCiphersuites, clientLabel: describeClient(g.navigator) };
}

function describeClient(
  nav:
    | {
        userAgentData?: { brands?: { brand: string; version: string }[]; platform?: string };
        userAgent?: string;
      }
    | undefined,
): string {
  const data = nav?.userAgentData;
  const brand =
    data?.brands?.find((b) => !/Not.A.Brand|Chromium/i.test(b.brand)) ??
    data?.brands?.find((b) => /Chromium/i.test(b.brand));
  if (brand)
    return `${brand.brand} ${brand.version}${data?.platform ? ` on ${data.platform}` : ''}`.slice(
      0,
      64,
    );
  const ua = nav?.userAgent ?? '';
  const m = /(Firefox|Edg|Chrome|Safari)\/(\d+)/.exec(ua);
  return m ? `${m[1] === 'Edg' ? 'Edge' : m[1]} ${m[2]}` : 'Unknown client';
}
