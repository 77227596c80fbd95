/**
 * Fix-ups for werift's offers before they reach a browser.
 *
 * 1. werift 0.24.4 writes `a=setup:passive` in its first offer, where JSEP (RFC 8829 §5.2.1) and
 *    RFC 5763 §5 require `actpass`. werift adopts the role the answer picks
 *    (setRemoteDescription sets the opposite of the remote role), so offering `actpass` is safe.
 *    Re-offers keep the negotiated role, as JSEP asks, so only the first offer is rewritten.
 * 2. werift gives every `a=inactive` m-section port 0, i.e. rejects it (RFC 8829 §5.2.2), and a
 *    browser stops the transceiver of a rejected m-section for good. A closed consumer's
 *    m-section is only paused: it goes back to `a=sendonly` with a new SSRC when a new consumer
 *    reuses it, so it is offered with the bundle port 9 (RFC 8843 §7.2) and stays in the group.
 * 3. Any other port-0 m-section is rejected; werift keeps its mid in `a=group:BUNDLE`, which
 *    Chromium refuses ("A BUNDLE group contains a MID matching a rejected m= section",
 *    RFC 8843 §7.3.3), so rejected mids are dropped from the group.
 */
export const fixOfferSdp = (sdp: string, { initial }: { initial: boolean }): string => {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections = sdp.split(new RegExp(`${eol}(?=m=)`));
  const rejected = new Set<string>();
  for (const [i, section] of sections.entries()) {
    if (i === 0 || !/^m=\S+ 0 /.test(section)) continue;
    if (/^a=inactive$/m.test(section)) {
      sections[i] = section.replace(/^(m=\S+) 0 /, '$1 9 ');
      continue;
    }
    const mid = /^a=mid:(\S+)$/m.exec(section)?.[1];
    if (mid !== undefined) rejected.add(mid);
  }
  let out = sections.join(eol);
  if (rejected.size > 0) {
    out = out.replace(
      /^a=group:BUNDLE( [^\r\n]*)?(\r?\n)/m,
      (_line, mids: string | undefined, nl: string) => {
        const kept = (mids ?? '').split(' ').filter((mid) => mid !== '' && !rejected.has(mid));
        return kept.length > 0 ? `a=group:BUNDLE ${kept.join(' ')}${nl}` : '';
      },
    );
  }
  if (initial) out = out.replace(/^a=setup:passive(?=\r?$)/gm, 'a=setup:actpass');
  return out;
};
