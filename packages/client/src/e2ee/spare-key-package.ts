/** How long after joining a group a device makes its spare KeyPackage (breakout moves). */
const SPARE_KEY_PACKAGE_DELAY_MS = 1_000;

/**
 * This device's spare KeyPackage (issue 18): after each group join it uploads one for its next
 * room change (RFC 9420 §10: published in advance, each used once), made off the critical path
 * so that opening breakout rooms needs no KeyPackage round trip.
 */
export class SpareKeyPackage {
  readonly #upload: () => Promise<void>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #done: (() => void) | undefined;
  /** Settles once the spare KeyPackage made after the last group join is on the server. */
  uploaded: Promise<void> = Promise.resolve();

  /** `upload`: makes a fresh KeyPackage and uploads it as this device's spare. */
  constructor(upload: () => Promise<void>) {
    this.#upload = upload;
  }

  /** A group join started: `uploaded` waits for it and the spare that follows. */
  expect(): void {
    this.#done?.();
    this.uploaded = new Promise<void>((resolve) => (this.#done = resolve));
  }

  /** The join failed: no spare follows it. */
  cancel(): void {
    this.#done?.();
  }

  /** In a group now: a spare for the next move, soon. */
  schedule(): void {
    const done = this.#done;
    this.#done = undefined;
    clearTimeout(this.#timer);
    // Not at once: when many join a group together (rooms opening), making a KeyPackage would
    // compete for this device's CPU with the join itself, which someone is waiting for.
    this.#timer = setTimeout(() => {
      void this.#upload()
        .catch(() => undefined)
        .finally(() => done?.());
    }, SPARE_KEY_PACKAGE_DELAY_MS);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#done?.();
  }
}
