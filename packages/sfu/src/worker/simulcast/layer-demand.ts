/**
 * Dynacast (LiveKit's name): how many of a simulcast publisher's layers, lowest first, anyone
 * needs, so the publisher stops encoding and sending the others (its CPU and uplink).
 *
 * A layer is needed when a consumer's tile asks for it (`sizeCap`, by the layers' known heights,
 * whether or not the layer flows now: a paused layer must be wantable again) or when a tap
 * (recording) takes the top layer. The lowest layer always stays on (a new viewer gets a picture
 * at once, and a downlink that shrinks has somewhere to go). Bandwidth does not count: a viewer
 * behind a weak link still wants the layer its tile shows once the link recovers.
 *
 * Raising is immediate; lowering waits LOWER_AFTER_MS of wanting fewer, so a tile resized back and
 * forth, or a viewer who leaves and rejoins, does not flap the publisher's encoder.
 */
import { sizeCap, type LayerState } from './layer-selection';

export const LOWER_AFTER_MS = 4000;

/** Layers needed (1..layers.length) for these tiles' heights (0: hidden) and taps. */
export const neededLayers = (
  layers: readonly LayerState[],
  tileHeights: Iterable<number>,
  tapped: boolean,
): number => {
  if (layers.length <= 1 || tapped) return Math.max(1, layers.length);
  let top = 0;
  for (const height of tileHeights) {
    top = Math.max(top, sizeCap(layers, height));
    if (top === layers.length - 1) break;
  }
  return top + 1;
};

/** The count told to the publisher, with lowering held back (see above). */
export class LayerDemand {
  #announced: number;
  #lowerSince: number | undefined;

  /** `layers`: what the publisher sends from the start (all its encodings). */
  constructor(layers: number) {
    this.#announced = layers;
  }

  get announced(): number {
    return this.#announced;
  }

  /** The new count to announce, or undefined when it stays. */
  update(needed: number, nowMs: number): number | undefined {
    if (needed >= this.#announced) {
      this.#lowerSince = undefined;
      if (needed === this.#announced) return undefined;
      this.#announced = needed;
      return needed;
    }
    this.#lowerSince ??= nowMs;
    if (nowMs - this.#lowerSince < LOWER_AFTER_MS) return undefined;
    this.#lowerSince = undefined;
    this.#announced = needed;
    return needed;
  }
}
