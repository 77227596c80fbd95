import type { Channel } from './channel/channel';
import type { Producer } from './producer';
import type { RtpTap } from './rtp-tap';
import type { Transport } from './transport';

/** What the proxies of one media worker share: the channel and the id -> proxy registries. */
export interface WorkerContext {
  readonly channel: Channel;
  readonly transports: Map<string, Transport>;
  readonly producers: Map<string, Producer>;
  readonly taps: Map<string, RtpTap>;
}
