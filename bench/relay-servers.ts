/**
 * The two relays the benchmark compares, each in its own process so that its memory can be
 * read from /proc: Moot's (signaling/main.ts) and y-webrtc's bin/server.js, bound to loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const NODE_FLAGS = ['--expose-gc', '--import', './bench/relay-bench-preload.mjs'];

export interface RelayProcess {
  name: string;
  wsUrl: string;
  pid: number;
  /** Resident memory in bytes after a full GC in the relay. */
  rss(): Promise<number>;
  /** CPU time (user + system) in seconds, from /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Moot's relay with its abuse limits opened up: the benchmark measures capacity, not policy. */
export async function spawnMootRelay(): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    [
      ...NODE_FLAGS,
      '--import',
      'tsx',
      'signaling/main.ts',
      '--port=0',
      '--host=127.0.0.1',
      '--static=/nonexistent',
      '--max-connections-per-address=1000000',
      '--messages-per-second=1000000',
      '--message-burst=1000000',
      '--max-buffered-bytes=67108864',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await firstLine(child, (line) => {
    if (!line.startsWith('{')) return undefined;
    const entry = JSON.parse(line) as { event?: string; url?: string };
    return entry.event === 'listening' ? entry.url : undefined;
  });
  return handle('moot', child, url.replace(/^http/, 'ws') + '/signal');
}

/** y-webrtc's stock server; the preload binds it to 127.0.0.1 instead of every interface. */
export async function spawnYWebrtcRelay(): Promise<RelayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS, 'node_modules/y-webrtc/bin/server.js'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // It prints its banner before listen() completes: wait until the port answers.
  await firstLine(child, (line) => (line.includes('Signaling server running') ? line : undefined));
  await waitForPort(port);
  return handle('y-webrtc', child, `ws://127.0.0.1:${port}/signal`);
}

function handle(name: string, child: ChildProcess, wsUrl: string): RelayProcess {
  const pid = child.pid!;
  return {
    name,
    wsUrl,
    pid,
    async rss() {
      process.kill(pid, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

function firstLine(
  child: ChildProcess,
  pick: (line: string) => string | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const value = pick(line);
      if (value !== undefined) resolve(value);
    });
    child.once('exit', (code) => reject(new Error(`relay exited with ${code} before listening`)));
    setTimeout(() => reject(new Error('relay did not start within 15 s')), 15_000).unref();
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
