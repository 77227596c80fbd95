/**
 * Janus VideoRoom (Debian's `janus` package) as the bench's baseline SFU.
 *
 * Janus gathers ICE candidates with libnice, which never offers a loopback candidate on `lo`, so
 * the bench runs it in a network namespace of its own joined to the host by a veth pair on
 * 10.213.4.0/24 (helper range "sfu"): host side 10.213.4.1, Janus side 10.213.4.2 with
 * `ice_enforce_list` naming the veth. The werift load generator (host namespace) gathers the
 * host-side address and reaches Janus over the veth.
 *
 * `startJanus()` returns null (with the reason) when this is not possible: not root, no `ip`, or
 * `janus` missing and `apt-get install -y janus` failing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NETNS = 'sfu-janus';
const HOST_IF = 'sfu-jh';
const NS_IF = 'sfu-jn';
export const JANUS_HOST_ADDR = '10.213.4.1';
export const JANUS_ADDR = '10.213.4.2';
const HTTP_PORT = 8088;
const LIB = '/usr/lib/x86_64-linux-gnu/janus';

const run = (cmd: string, args: string[]): { ok: boolean; out: string } => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}` };
};

const ensureInstalled = (): string | null => {
  if (run('which', ['janus']).ok) return null;
  console.log('janus not installed: apt-get install -y janus ...');
  const install = run('apt-get', ['install', '-y', '--no-install-recommends', 'janus']);
  if (install.ok && run('which', ['janus']).ok) return null;
  const update = run('apt-get', ['update']);
  if (!update.ok) return `apt-get update failed: ${update.out.trim().split('\n').pop()}`;
  const retry = run('apt-get', ['install', '-y', '--no-install-recommends', 'janus']);
  return retry.ok ? null : `apt-get install janus failed: ${retry.out.trim().split('\n').pop()}`;
};

const teardownNetns = (): void => {
  run('ip', ['netns', 'del', NETNS]);
  run('ip', ['link', 'del', HOST_IF]);
};

const setupNetns = (): string | null => {
  teardownNetns();
  const steps: string[][] = [
    ['netns', 'add', NETNS],
    ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF],
    ['link', 'set', NS_IF, 'netns', NETNS],
    ['addr', 'add', `${JANUS_HOST_ADDR}/24`, 'dev', HOST_IF],
    ['link', 'set', HOST_IF, 'up'],
    ['-n', NETNS, 'addr', 'add', `${JANUS_ADDR}/24`, 'dev', NS_IF],
    ['-n', NETNS, 'link', 'set', NS_IF, 'up'],
    ['-n', NETNS, 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const r = run('ip', step);
    if (!r.ok) {
      teardownNetns();
      return `ip ${step.join(' ')}: ${r.out.trim()}`;
    }
  }
  return null;
};

const writeConfig = (dir: string): void => {
  // Only the VideoRoom plugin and the HTTP transport; no demo rooms, no event handlers.
  const plugins = [
    'audiobridge',
    'duktape',
    'echotest',
    'lua',
    'nosip',
    'recordplay',
    'sip',
    'streaming',
    'textroom',
    'videocall',
    'voicemail',
  ].map((p) => `libjanus_${p}.so`);
  const transports = ['mqtt', 'nanomsg', 'pfunix', 'rabbitmq', 'websockets'].map(
    (t) => `libjanus_${t}.so`,
  );
  writeFileSync(
    join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${LIB}/plugins"
  transports_folder = "${LIB}/transports"
  events_folder = "${LIB}/events"
  loggers_folder = "${LIB}/loggers"
  debug_level = 2
  session_timeout = 120
}
media: {
  rtp_port_range = "20000-40000"
}
nat: {
  ice_enforce_list = "${NS_IF}"
}
plugins: {
  disable = "${plugins.join(',')}"
}
transports: {
  disable = "${transports.join(',')}"
}
loggers: {
  disable = "libjanus_jsonlog.so"
}
events: {
  broadcast = false
}
`,
  );
  writeFileSync(join(dir, 'janus.plugin.videoroom.jcfg'), 'general: {\n}\n');
  writeFileSync(
    join(dir, 'janus.transport.http.jcfg'),
    `general: {
  json = "plain"
  base_path = "/janus"
  http = true
  port = ${HTTP_PORT}
  https = false
}
admin: {
  admin_http = false
  admin_https = false
}
`,
  );
};

export interface JanusServer {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export const janusUsable = (): string | null => {
  if (process.getuid?.() !== 0) return 'not root (network namespaces need CAP_NET_ADMIN)';
  if (!run('ip', ['-V']).ok) return 'iproute2 (`ip`) not found';
  return ensureInstalled();
};

/** Starts Janus in its namespace; null with `reason` logged if it cannot. */
export const startJanus = async (): Promise<JanusServer | { error: string }> => {
  const problem = janusUsable() ?? setupNetns();
  if (problem) return { error: problem };
  if (!existsSync(`${LIB}/plugins/libjanus_videoroom.so`)) {
    teardownNetns();
    return { error: `${LIB}/plugins/libjanus_videoroom.so not found` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sfu-janus-'));
  writeConfig(dir);
  // `ip netns exec` execs janus (same pid), so /proc/<pid> is Janus itself.
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', NETNS, 'janus', '-F', dir, '-C', join(dir, 'janus.jcfg'), '-N', '-o'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://${JANUS_ADDR}:${HTTP_PORT}/janus`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    teardownNetns();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/info`);
      if (res.ok) return { pid: child.pid!, url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  return { error: `janus did not start: ${stderr.trim().slice(-300) || 'no HTTP answer in 10 s'}` };
};
