/**
 * The two SFUs bench/sfu-forwarding.bench.ts compares, behind one interface: Conclave's
 * (bench/lib/conclave-host.ts in a child process) and Janus VideoRoom (bench/lib/janus-server.ts).
 * Both are measured from /proc/<pid>: CPU time (schedstat of every thread) and VmRSS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildServer } from '../../scripts/build-server';
import { JanusSession } from './janus-client';
import { startJanus } from './janus-server';
import { Child, type HostRequest } from './sfu-ipc';

export interface BenchServer {
  readonly name: string;
  readonly pid: number;
  /** Answers the publishers' offers. */
  publish(offers: string[]): Promise<string[]>;
  /** Creates `count` subscribers of every publisher; `answer` turns their offers into answers. */
  subscribe(count: number, answer: (offers: string[]) => Promise<string[]>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * On-CPU time (µs) of each thread of a process, by "tid name", from Linux schedstat
 * (`/proc/<pid>/task/<tid>/schedstat`, first field: ns on a CPU). /proc/<pid>/stat's utime and
 * stime come in 10 ms ticks (USER_HZ 100), which made a 6 s receive-only window ±10-17 % coarse;
 * schedstat is exact to the nanosecond.
 */
export const threadCpuUs = (pid: number): Map<string, number> => {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      out.set(`${tid} ${comm}`, ns / 1000);
    } catch {
      // thread exited
    }
  }
  return out;
};

/**
 * CPU time (µs) a process spent between two threadCpuUs snapshots: a thread that started in
 * between counts from zero; one that ended in between (Janus's GLib pools retire idle threads)
 * loses only its time inside the window, never the time it had before it.
 */
export const cpuDeltaUs = (before: Map<string, number>, after: Map<string, number>): number => {
  let us = 0;
  for (const [thread, now] of after) us += now - (before.get(thread) ?? 0);
  return us;
};

/** UDP datagrams the kernel dropped for full receive buffers, all sockets (/proc/net/snmp). */
export const udpRcvbufErrors = (): number => {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf('RcvbufErrors')] ?? 0);
};

export const rssMb = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return Number(kb ?? 0) / 1024;
};

/**
 * Conclave's host, started as `npm start` starts the server: bundled by scripts/build-server.ts
 * (with its media worker) and run on plain node, without tsx.
 */
export const startConclave = async (): Promise<BenchServer> => {
  const prof = process.env.SFU_BENCH_PROF;
  const entry = await buildServer(
    new URL('./conclave-host.ts', import.meta.url),
    new URL('./dist/', import.meta.url),
    'conclave-host',
  );
  const host = new Child<HostRequest>(
    pathToFileURL(entry),
    prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : [],
  );
  return {
    name: 'conclave',
    pid: host.pid,
    publish: async (offers) =>
      (await host.call<{ answers: string[] }>({ kind: 'publish', offers })).answers,
    subscribe: async (subscribers, answer) => {
      const { offers } = await host.call<{ offers: string[] }>({ kind: 'subscribe', subscribers });
      await host.call({ kind: 'subscribeAnswers', answers: await answer(offers) });
    },
    stop: () => host.exit(),
  };
};

const ROOM = 4242;

/** Janus VideoRoom, or the reason it cannot run here. */
export const startJanusServer = async (): Promise<BenchServer | { error: string }> => {
  const janus = await startJanus();
  if ('error' in janus) return janus;
  const session = await JanusSession.create(janus.url);
  const admin = await session.attach();
  await session.request(admin, {
    request: 'create',
    room: ROOM,
    publishers: 64,
    audiocodec: 'opus',
    videocodec: 'vp8',
    bitrate: 0,
    notify_joining: false,
  });
  const feeds: number[] = [];
  return {
    name: 'janus',
    pid: janus.pid,
    publish: async (offers) => {
      const answers: string[] = [];
      for (const sdp of offers) {
        const handle = await session.attach();
        const feed = feeds.length + 1;
        const event = await session.message(
          handle,
          { request: 'joinandconfigure', room: ROOM, ptype: 'publisher', id: feed },
          { type: 'offer', sdp },
        );
        if (!event.jsep) throw new Error('janus: publisher joined without an answer');
        await session.endOfCandidates(handle);
        feeds.push(feed);
        answers.push(event.jsep.sdp);
      }
      return answers;
    },
    subscribe: async (count, answer) => {
      const handles: number[] = [];
      const offers: string[] = [];
      for (let i = 0; i < count; i++) {
        const handle = await session.attach();
        const event = await session.message(handle, {
          request: 'join',
          room: ROOM,
          ptype: 'subscriber',
          streams: feeds.map((feed) => ({ feed })),
        });
        if (!event.jsep) throw new Error('janus: subscriber joined without an offer');
        handles.push(handle);
        offers.push(event.jsep.sdp);
      }
      const answers = await answer(offers);
      for (const [i, handle] of handles.entries()) {
        await session.message(handle, { request: 'start' }, { type: 'answer', sdp: answers[i]! });
        await session.endOfCandidates(handle);
      }
    },
    stop: async () => {
      await session.destroy();
      await janus.stop();
    },
  };
};
