// The attacker side of bench/abuse.bench.ts, in its own process so that its work does not run on
// the server's event loop. Usage:
//   node --import tsx bench/lib/abuse-attacker.ts <baseUrl> passcode <meetingId> <sockets> <ms> <from>
//   node --import tsx bench/lib/abuse-attacker.ts <baseUrl> flood - <sockets> <ms> <from>
// <from> is the local address to connect from (another loopback address than the honest
// participant's, as an attacker elsewhere on the network would be).
// Prints one JSON line of counts when done.
import WebSocket from 'ws';

const [baseUrl, mode, meetingId, socketsArg, msArg, from] = process.argv.slice(2);
const SOCKETS = Number(socketsArg);
const END = Date.now() + Number(msArg);
const wsUrl = `${baseUrl!.replace(/^http/, 'ws')}/ws`;
const counts = { connects: 0, refusedUpgrades: 0, framesSent: 0, replies: 0, closedByServer: 0 };
const replyCodes: Record<string, number> = {};

const OVERSIZED = Buffer.alloc(1024 * 1024, 0x5b); // 1 MiB of '['
const NESTED = `${'['.repeat(7000)}${']'.repeat(7000)}`; // 14 KB, under the pre-join size cap

function wrongJoin(i: number): string {
  return JSON.stringify({
    type: 'join',
    id: `a${i}`,
    protocolVersion: 1,
    meetingId,
    displayName: 'Mallory',
    passcode: `guess${Math.floor(Math.random() * 1e9)}`,
  });
}

function attacker(): Promise<void> {
  return new Promise((resolve) => {
    if (Date.now() >= END) return resolve();
    const ws = new WebSocket(wsUrl, { localAddress: from });
    let n = 0;
    const again = (delayMs: number) => setTimeout(() => void attacker().then(resolve), delayMs);
    const send = () => {
      if (Date.now() >= END || ws.readyState !== ws.OPEN) return;
      counts.framesSent++;
      if (mode === 'passcode') ws.send(wrongJoin(++n));
      else ws.send(++n % 2 ? NESTED : OVERSIZED);
    };
    ws.on('unexpected-response', () => {
      counts.refusedUpgrades++;
      ws.terminate();
    });
    ws.on('error', () => {});
    ws.on('open', () => {
      counts.connects++;
      send();
      // Floods do not wait for answers.
      if (mode === 'flood') {
        const t = setInterval(() => (ws.readyState === ws.OPEN ? send() : clearInterval(t)), 2);
      }
    });
    ws.on('message', (data: Buffer) => {
      counts.replies++;
      const code = /"code":"([A-Z_]+)"/.exec(data.toString())?.[1] ?? 'ok';
      replyCodes[code] = (replyCodes[code] ?? 0) + 1;
      // A passcode guesser sends the next guess as soon as the last is answered.
      if (mode === 'passcode') send();
    });
    ws.on('close', () => {
      if (Date.now() < END) counts.closedByServer++;
      // Every socket reconnects 50 ms after any refusal or close: 100 sockets, up to 2,000
      // connection attempts per second.
      if (Date.now() >= END) resolve();
      else again(50);
    });
    setTimeout(() => ws.terminate(), Math.max(0, END - Date.now())).unref();
  });
}

await Promise.all(Array.from({ length: SOCKETS }, () => attacker()));
process.stdout.write(`${JSON.stringify({ ...counts, replyCodes })}\n`);
process.exit(0);
