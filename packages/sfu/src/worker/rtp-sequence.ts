/**
 * RTP sequence numbers are 16 bits and wrap (RFC 3550 §5.1): they compare in serial arithmetic
 * (RFC 1982, as RFC 3550 §A.1 does), where a number ahead by less than 2^15 is the newer one.
 */

/** Signed distance a - b of two 16-bit sequence numbers: positive when `a` is newer. */
export const seqDiff = (a: number, b: number): number => {
  const d = (a - b) & 0xffff;
  return d >= 0x8000 ? d - 0x10000 : d;
};
