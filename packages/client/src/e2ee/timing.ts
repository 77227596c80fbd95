/**
 * Two-phase key switch (DESIGN.md §4.2): after processing a commit, senders keep the previous
 * epoch's key this long, so every member has the new epoch before frames use it.
 */
export const SEND_SWITCH_DELAY_MS = 300;
