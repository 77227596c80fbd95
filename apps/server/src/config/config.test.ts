import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicBaseUrl } from './config';

describe('configuration', () => {
  it('starts on embedded defaults: port 8080, ./data, no STUN, loopback candidates', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('./data');
    expect(c.ice.servers).toEqual([]);
    expect(c.ice.additionalHostAddresses).toEqual(['127.0.0.1']);
    expect(c.media.workers).toBeGreaterThanOrEqual(1);
    expect(c.reconnectGraceSeconds).toBe(30);
  });

  it('reads a file, then environment variables win over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({ port: 9000, dataDir: '/srv/c', publicUrl: 'https://meet.example.org/' }),
    );
    const c = loadConfig({
      CONCLAVE_CONFIG: file,
      PORT: '9100',
      CONCLAVE_ICE_SERVERS: 'stun:stun.example.org:3478',
    });
    expect(c.port).toBe(9100);
    expect(c.dataDir).toBe('/srv/c');
    expect(c.ice.servers).toEqual([{ urls: 'stun:stun.example.org:3478' }]);
    expect(publicBaseUrl(c, 9100)).toBe('https://meet.example.org');
  });

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/port/);
    expect(() => loadConfig({ CONCLAVE_CONFIG: '/nonexistent/c.json' })).toThrow(
      /Cannot read config file/,
    );
  });

  it('guest meetings and their E2EE are on by default; the operator turns them off', () => {
    expect(loadConfig({}).meetings).toMatchObject({ guestCreation: true, guestE2ee: true });
    const off = loadConfig({ CONCLAVE_GUEST_MEETINGS: 'false', CONCLAVE_GUEST_E2EE: 'false' });
    expect(off.meetings).toMatchObject({ guestCreation: false, guestE2ee: false });
    expect(() => loadConfig({ CONCLAVE_GUEST_E2EE: 'no' })).toThrow(/meetings\.guestE2ee/);
  });

  it('passcode and signaling limits have defaults and refuse nonsense', () => {
    expect(loadConfig({}).meetings).toMatchObject({
      passcodeAttemptsPerAddress: 5,
      passcodeAttemptsPerMeeting: 20,
      passcodeMaxDelaySeconds: 300,
    });
    expect(loadConfig({}).signaling).toEqual({
      joinTimeoutSeconds: 10,
      maxUnjoinedPerAddress: 20,
      messagesPerSecond: 50,
      preJoinMessagesPerSecond: 10,
      preJoinMaxBytes: 16 * 1024,
    });
    expect(loadConfig({}).legal.reviewerIndependenceDays).toBe(90);
    expect(() => loadConfig({}, { signaling: { joinTimeoutSeconds: 0 } })).toThrow(
      /signaling\.joinTimeoutSeconds/,
    );
    expect(() => loadConfig({}, { meetings: { passcodeAttemptsPerAddress: -1 } })).toThrow(
      /meetings\.passcodeAttemptsPerAddress/,
    );
  });

  it('builds invite links from the listening port when no public URL is set', () => {
    expect(publicBaseUrl(loadConfig({}), 8123)).toBe('http://localhost:8123');
  });

  it('several nodes: REDIS_URL and the cluster settings, with clear errors (issue 19)', () => {
    const env = {
      DATABASE_URL: 'postgres://db/conclave',
      REDIS_URL: 'redis://cache:6379',
      CONCLAVE_NODE_ID: 'node-1',
      CONCLAVE_NODE_URL: 'http://10.0.0.11:8080',
      CONCLAVE_MEDIA_ADDRESS: '203.0.113.11',
      CONCLAVE_CLUSTER_HEARTBEAT_MS: '500',
      CONCLAVE_CLUSTER_LEASE_MS: '3000',
      CONCLAVE_RECORDINGS_DIR: '/mnt/rec',
    };
    const c = loadConfig(env);
    expect(c.redisUrl).toBe('redis://cache:6379');
    expect(c.cluster).toEqual({
      nodeId: 'node-1',
      nodeUrl: 'http://10.0.0.11:8080',
      mediaAddress: '203.0.113.11',
      heartbeatMs: 500,
      leaseMs: 3000,
      redisPrefix: 'conclave:',
    });
    expect(c.recordings.dir).toBe('/mnt/rec');
    // One node by default: no Redis, nothing of the cluster switched on.
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ...env, REDIS_URL: 'http://cache' })).toThrow(/redisUrl/);
    expect(() => loadConfig({ ...env, CONCLAVE_NODE_ID: 'a b/c' })).toThrow(/cluster\.nodeId/);
    expect(() => loadConfig({ ...env, CONCLAVE_CLUSTER_LEASE_MS: '600' })).toThrow(
      /at least twice cluster\.heartbeatMs/,
    );
  });
});
