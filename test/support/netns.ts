import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Network namespaces for real-network tests (needs root, as CI has): each participant gets a
 * namespace joined to the host by a veth pair on addresses that exist only between the two, so
 * its links can be shaped with `tc` and made lossy with an `nftables` rule. Names carry the tag
 * and the pid, so two runs never collide; `destroy()` removes everything.
 */
const run = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Why namespaces cannot be used here (not root, a tool missing), or undefined if they can. */
export const netnsUnavailable = (): string | undefined => {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const [cmd, args] of [
    ['ip', ['netns', 'list']],
    ['tc', ['qdisc', 'show', 'dev', 'lo']],
    ['nft', ['list', 'tables']],
  ] as const) {
    try {
      run(cmd, [...args]);
    } catch {
      return `\`${cmd}\` is missing or fails (Debian: apt-get install iproute2 nftables)`;
    }
  }
  return undefined;
};

export interface Netns {
  name: string;
  /** Host side of the veth: its egress is the namespace's downlink. */
  hostIf: string;
  /** Namespace side: its egress is the uplink. */
  nsIf: string;
  hostAddr: string;
  nsAddr: string;
}

export class NetnsLab {
  readonly #prefix: string;
  readonly #table: string;
  readonly #base: number;
  readonly spaces: Netns[] = [];

  /** `subnet`: the first three octets of a private /24 (e.g. '10.213.3'). */
  constructor(
    readonly subnet: string,
    tag: string,
  ) {
    const id = process.pid % 10000;
    this.#prefix = `${tag}${id}`;
    this.#table = `${tag}${id}`;
    // 20 slots of 12 addresses (three /30s) per /24, picked by pid
    this.#base = (process.pid % 20) * 12;
    run('nft', ['add', 'table', 'inet', this.#table]);
    run('nft', [
      'add',
      'chain',
      'inet',
      this.#table,
      'out',
      '{ type filter hook output priority 0; policy accept; }',
    ]);
    run('nft', [
      'add',
      'chain',
      'inet',
      this.#table,
      'in',
      '{ type filter hook input priority 0; policy accept; }',
    ]);
  }

  /** A namespace with a veth pair on a /30 of the lab's subnet. */
  add(letter: string): Netns {
    const i = this.spaces.length;
    const name = `${this.#prefix}${letter}`;
    const hostIf = `${this.#prefix}h${letter}`;
    const nsIf = `${this.#prefix}n${letter}`;
    const hostAddr = `${this.subnet}.${this.#base + i * 4 + 1}`;
    const nsAddr = `${this.subnet}.${this.#base + i * 4 + 2}`;
    run('ip', ['netns', 'add', name]);
    run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    run('ip', ['link', 'set', nsIf, 'netns', name]);
    run('ip', ['addr', 'add', `${hostAddr}/30`, 'dev', hostIf]);
    run('ip', ['link', 'set', hostIf, 'up']);
    const inNs = (args: string[]) => run('ip', ['netns', 'exec', name, ...args]);
    inNs(['ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf]);
    inNs(['ip', 'link', 'set', nsIf, 'up']);
    inNs(['ip', 'link', 'set', 'lo', 'up']);
    inNs(['ip', 'route', 'add', 'default', 'via', hostAddr]);
    const ns = { name, hostIf, nsIf, hostAddr, nsAddr };
    this.spaces.push(ns);
    return ns;
  }

  /** A script that runs `binary` inside the namespace (for playwright's executablePath). */
  wrapper(ns: Netns, binary: string, dir: string): string {
    const path = join(dir, `in-${ns.name}.sh`);
    writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${ns.name} ${binary} "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /** Caps the namespace's downlink (host egress) or uplink (namespace egress) with tbf. */
  cap(ns: Netns, direction: 'down' | 'up', kbit: number): void {
    const args = ['qdisc', 'replace', 'dev'];
    // a home router's buffer: half a second (a 400 kbit/s link queues 25 KB, one key frame)
    const tbf = ['root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '10kb', 'latency', '500ms'];
    if (direction === 'down') run('tc', [...args, ns.hostIf, ...tbf]);
    else run('ip', ['netns', 'exec', ns.name, 'tc', ...args, ns.nsIf, ...tbf]);
  }

  uncap(ns: Netns, direction: 'down' | 'up'): void {
    try {
      if (direction === 'down') run('tc', ['qdisc', 'del', 'dev', ns.hostIf, 'root']);
      else run('ip', ['netns', 'exec', ns.name, 'tc', 'qdisc', 'del', 'dev', ns.nsIf, 'root']);
    } catch {
      // no qdisc
    }
  }

  /** Drops `percent` % of the packets going to the namespace at random (nftables numgen). */
  loss(ns: Netns, percent: number): void {
    this.#randomDrop('out', ['oifname', ns.hostIf], percent);
  }

  /** Drops `percent` % of the UDP packets (media) the namespace sends to the host, at random. */
  uplinkLoss(ns: Netns, percent: number): void {
    this.#randomDrop('in', ['iifname', ns.hostIf, 'meta', 'l4proto', 'udp'], percent);
  }

  /** One rule in `chain` dropping `percent` % of what `match` selects (any earlier loss cleared). */
  #randomDrop(chain: 'in' | 'out', match: string[], percent: number): void {
    this.clearLoss();
    if (percent <= 0) return;
    run('nft', [
      'add',
      'rule',
      'inet',
      this.#table,
      chain,
      ...match,
      'numgen',
      'random',
      'mod',
      '100',
      '<',
      String(percent),
      'drop',
    ]);
  }

  clearLoss(): void {
    run('nft', ['flush', 'chain', 'inet', this.#table, 'out']);
    run('nft', ['flush', 'chain', 'inet', this.#table, 'in']);
  }

  destroy(): void {
    for (const ns of this.spaces.splice(0)) {
      try {
        run('ip', ['link', 'del', ns.hostIf]);
      } catch {
        // gone with the namespace
      }
      try {
        run('ip', ['netns', 'del', ns.name]);
      } catch {
        // already gone
      }
    }
    try {
      run('nft', ['delete', 'table', 'inet', this.#table]);
    } catch {
      // already gone
    }
  }
}
