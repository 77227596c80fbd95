import { ConclaveError } from '@conclave/protocol';

/** The most ciphertext kept per meeting (base64 characters) between two snapshots. */
const MAX_LOG_CHARS = 4 * 1024 * 1024;

/**
 * The whiteboard while E2EE is on (issue 18): sealed updates the server cannot read, kept for
 * members who reconnect or join. It cannot compact what it cannot read, so a member does: a
 * sealed snapshot of the whole document replaces everything before it. Between snapshots the log
 * is capped (WHITEBOARD_FULL), so a meeting's memory stays bounded.
 */
export class SealedWhiteboardLog {
  #items: { sealed: string; snapshot: boolean }[] = [];
  #chars = 0;

  append(sealed: string, snapshot: boolean): void {
    if (snapshot) {
      this.#items = [{ sealed, snapshot }];
      this.#chars = sealed.length;
      return;
    }
    if (this.#chars + sealed.length > MAX_LOG_CHARS) throw new ConclaveError('WHITEBOARD_FULL');
    this.#items.push({ sealed, snapshot });
    this.#chars += sealed.length;
  }

  /** Oldest first; a device opens those sealed for epochs it holds. */
  items(): string[] {
    return this.#items.map((i) => i.sealed);
  }

  clear(): void {
    this.#items = [];
    this.#chars = 0;
  }
}
