// A one-track WebM (Matroska) writer for live recording, truncation-safe by construction: the
// Segment has unknown size (Matroska §"Unknown data size", RFC 9559 §6.2) and each Cluster is
// written whole with its size once it closes, so a file cut anywhere plays up to its last whole
// Cluster. No Cues or SeekHead (they would need a rewrite at the end); ffmpeg and browsers read
// such a file front to back (it is what MediaRecorder produces too).

/** EBML element ids (RFC 8794 §11.2; RFC 9559 §5.1; WebM Codec Mappings). */
const ID = {
  EBML: 0x1a45dfa3,
  EBMLVersion: 0x4286,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  CodecDelay: 0x56aa,
  SeekPreRoll: 0x56bb,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Audio: 0xe1,
  SamplingFrequency: 0xb5,
  Channels: 0x9f,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
} as const;

function idBytes(id: number): Buffer {
  const len = id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1;
  const b = Buffer.alloc(len);
  b.writeUIntBE(id, 0, len);
  return b;
}

/** RFC 8794 §4: variable-size integer for an element data size. */
function sizeBytes(size: number): Buffer {
  for (let len = 1; len <= 8; len++) {
    if (size < 2 ** (7 * len) - 1) {
      const b = Buffer.alloc(len);
      let v = size;
      for (let i = len - 1; i >= 0; i--) {
        b[i] = v % 256;
        v = Math.floor(v / 256);
      }
      b[0]! |= 1 << (8 - len);
      return b;
    }
  }
  throw new RangeError('EBML element too large');
}

/** RFC 8794 §6.2: "unknown" data size, all value bits set (8-byte form). */
const UNKNOWN_SIZE = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

const el = (id: number, ...body: Buffer[]) => {
  const data = Buffer.concat(body);
  return Buffer.concat([idBytes(id), sizeBytes(data.length), data]);
};
const uint = (id: number, v: number) => {
  let len = 1;
  while (v >= 2 ** (8 * len) && len < 6) len++;
  const b = Buffer.alloc(len);
  b.writeUIntBE(v, 0, len);
  return el(id, b);
};
const str = (id: number, s: string) => el(id, Buffer.from(s, 'ascii'));
const float = (id: number, v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return el(id, b);
};

export type WebmTrack =
  | { kind: 'video'; codec: 'V_VP8'; width: number; height: number }
  | { kind: 'audio'; codec: 'A_OPUS'; sampleRate: number; channels: number };

/** RFC 7845 §5.1: the Opus identification header, Matroska's CodecPrivate for A_OPUS. */
function opusHead(channels: number, sampleRate: number): Buffer {
  const b = Buffer.alloc(19);
  b.write('OpusHead', 0, 'ascii');
  b.writeUInt8(1, 8); // version
  b.writeUInt8(channels, 9);
  b.writeUInt16LE(312, 10); // pre-skip: libopus's usual 6.5 ms at 48 kHz
  b.writeUInt32LE(sampleRate, 12);
  b.writeInt16LE(0, 16); // output gain
  b.writeUInt8(0, 18); // channel mapping family 0 (mono/stereo)
  return b;
}

/** The header of a one-track WebM file: EBML header, Segment start (unknown size), Info, Tracks. */
export function webmHeader(track: WebmTrack): Buffer {
  const ebml = el(
    ID.EBML,
    uint(ID.EBMLVersion, 1),
    uint(ID.EBMLReadVersion, 1),
    uint(ID.EBMLMaxIDLength, 4),
    uint(ID.EBMLMaxSizeLength, 8),
    str(ID.DocType, 'webm'),
    uint(ID.DocTypeVersion, 4),
    uint(ID.DocTypeReadVersion, 2),
  );
  const info = el(
    ID.Info,
    uint(ID.TimestampScale, 1_000_000), // block timestamps in milliseconds
    str(ID.MuxingApp, 'Conclave'),
    str(ID.WritingApp, 'Conclave'),
  );
  const entry =
    track.kind === 'video'
      ? el(
          ID.TrackEntry,
          uint(ID.TrackNumber, 1),
          uint(ID.TrackUID, 1),
          uint(ID.TrackType, 1),
          str(ID.CodecID, track.codec),
          el(ID.Video, uint(ID.PixelWidth, track.width), uint(ID.PixelHeight, track.height)),
        )
      : el(
          ID.TrackEntry,
          uint(ID.TrackNumber, 1),
          uint(ID.TrackUID, 1),
          uint(ID.TrackType, 2),
          str(ID.CodecID, track.codec),
          el(ID.CodecPrivate, opusHead(track.channels, track.sampleRate)),
          uint(ID.CodecDelay, 6_500_000),
          uint(ID.SeekPreRoll, 80_000_000),
          el(
            ID.Audio,
            float(ID.SamplingFrequency, track.sampleRate),
            uint(ID.Channels, track.channels),
          ),
        );
  return Buffer.concat([ebml, idBytes(ID.Segment), UNKNOWN_SIZE, info, el(ID.Tracks, entry)]);
}

/** Longest cluster: block timestamps are signed 16-bit offsets from the cluster's. */
const MAX_CLUSTER_SPAN_MS = 30_000;

/**
 * Collects frames into Clusters. `add()` returns the bytes of a Cluster that just closed (or
 * nothing); a new Cluster starts at each video keyframe or after `clusterMs`.
 */
export class WebmClusterer {
  readonly #clusterMs: number;
  #start = -1;
  #blocks: Buffer[] = [];
  #last = -1;

  constructor(clusterMs = 1000) {
    this.#clusterMs = clusterMs;
  }

  /** Milliseconds of the last frame accepted. */
  get lastTimestamp(): number {
    return this.#last;
  }

  add(timestampMs: number, keyframe: boolean, data: Uint8Array): Buffer | undefined {
    const t = Math.max(0, Math.round(timestampMs));
    if (t < this.#last) return undefined; // late: blocks stay in order
    this.#last = t;
    let closed: Buffer | undefined;
    if (
      this.#start >= 0 &&
      (keyframe || t - this.#start >= this.#clusterMs || t - this.#start > MAX_CLUSTER_SPAN_MS)
    )
      closed = this.flush();
    if (this.#start < 0) this.#start = t;
    const head = Buffer.alloc(4);
    head.writeUInt8(0x81, 0); // track number 1 as a vint
    head.writeInt16BE(t - this.#start, 1);
    head.writeUInt8(keyframe ? 0x80 : 0, 3); // RFC 9559 §10.2: keyframe flag
    this.#blocks.push(el(ID.SimpleBlock, head, Buffer.from(data)));
    return closed;
  }

  /** The open Cluster's bytes (and starts a new one), or nothing when it is empty. */
  flush(): Buffer | undefined {
    if (this.#start < 0 || this.#blocks.length === 0) return undefined;
    const cluster = el(ID.Cluster, uint(ID.Timestamp, this.#start), ...this.#blocks);
    this.#start = -1;
    this.#blocks = [];
    return cluster;
  }
}
