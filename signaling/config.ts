/**
 * Options for one relay process, from code (startRelay) or from env and flags (main.ts).
 * Config is operator input, so it is validated once at startup and refused with a plain message.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, type RelayLimits } from './limits';
import { jsonLogger, throttledLogger, type Logger } from './log';

/** The subset of RTCIceServer the relay hands to clients via GET /config. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface RelayOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  staticDir: string | null;
  /** When set, topics are shared with every relay on the same Redis through pub/sub. */
  redisUrl: string | null;
  /** When set, WebSocket upgrades must carry one of these Origin headers. */
  allowedOrigins: string[] | null;
  iceServers: IceServer[];
  /** Take the client address from the last X-Forwarded-For entry (only behind your own proxy). */
  trustProxy: boolean;
  limits: RelayLimits;
  log: Logger;
}

export type StartRelayOptions = Partial<Omit<RelayOptions, 'limits'>> & {
  limits?: Partial<RelayLimits>;
};

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export function resolveOptions(options: StartRelayOptions = {}): RelayOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? DEFAULT_HOST,
    staticDir: options.staticDir === undefined ? DEFAULT_STATIC_DIR : options.staticDir,
    redisUrl: options.redisUrl ?? null,
    allowedOrigins: options.allowedOrigins ?? null,
    iceServers: options.iceServers ?? [],
    trustProxy: options.trustProxy ?? false,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    log: options.log ?? throttledLogger(jsonLogger()),
  };
}

/** Each limit's flag and env var are derived from its name: maxFrameBytes → --max-frame-bytes, MOOT_MAX_FRAME_BYTES. */
const limitKeys = Object.keys(DEFAULT_LIMITS) as Array<keyof RelayLimits>;
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const envName = (key: string) => 'MOOT_' + kebab(key).replace(/-/g, '_').toUpperCase();

export type CliResult =
  | { kind: 'run'; options: RelayOptions }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliResult {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  const flags = parsed.values;
  if (flags.help) return { kind: 'help', text: helpText() };
  try {
    const limits: Partial<RelayLimits> = {};
    for (const key of limitKeys) {
      const raw =
        (flags[kebab(key) as keyof typeof flags] as string | undefined) ?? env[envName(key)];
      if (raw !== undefined) limits[key] = positiveInteger(raw, `--${kebab(key)}`);
    }
    const port = flags.port ?? env.PORT;
    const origins = flags['allow-origin'] ?? env.MOOT_ALLOWED_ORIGINS?.split(',');
    const ice = flags['ice-servers'] ?? env.MOOT_ICE_SERVERS;
    const options = resolveOptions({
      port: port === undefined ? DEFAULT_PORT : portNumber(port),
      host: flags.host ?? env.HOST ?? DEFAULT_HOST,
      staticDir: flags.static ?? env.MOOT_STATIC_DIR ?? DEFAULT_STATIC_DIR,
      redisUrl: flags.redis ?? env.REDIS_URL ?? null,
      allowedOrigins: origins ? parseOrigins(origins) : null,
      iceServers: ice ? parseIceServers(ice) : [],
      trustProxy: flags['trust-proxy'] ?? env.MOOT_TRUST_PROXY === '1',
      limits,
    });
    return { kind: 'run', options };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

function parseFlags(argv: string[]) {
  const limitFlags = Object.fromEntries(
    limitKeys.map((key) => [kebab(key), { type: 'string' as const }]),
  );
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      static: { type: 'string' },
      redis: { type: 'string' },
      'ice-servers': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'trust-proxy': { type: 'boolean' },
      ...limitFlags,
    },
  });
}

function portNumber(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`port must be 0–65535, got "${raw}"`);
  return n;
}

function positiveInteger(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function parseOrigins(list: string[]): string[] {
  return list
    .flatMap((item) => item.split(','))
    .map((origin) => {
      const trimmed = origin.trim();
      let url: URL;
      try {
        url = new URL(trimmed);
      } catch {
        throw new Error(`allowed origin must look like https://example.org, got "${trimmed}"`);
      }
      // Browsers send the origin without a path or trailing slash; compare like with like.
      if (url.origin === 'null' || url.origin !== trimmed.replace(/\/$/, '')) {
        throw new Error(`allowed origin must be scheme://host[:port] only, got "${trimmed}"`);
      }
      return url.origin;
    });
}

export function parseIceServers(raw: string): IceServer[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('ICE servers must be JSON, e.g. [{"urls":"stun:stun.example.org:3478"}]');
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry, i) => {
    const where = `ICE server ${i + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where} must be an object`);
    const { urls, username, credential } = entry as Record<string, unknown>;
    const urlList = Array.isArray(urls) ? urls : [urls];
    if (
      urlList.length === 0 ||
      !urlList.every((u) => typeof u === 'string' && /^(stuns?|turns?):/.test(u))
    ) {
      throw new Error(`${where}: urls must be stun:, stuns:, turn: or turns: URLs`);
    }
    if (username !== undefined && typeof username !== 'string')
      throw new Error(`${where}: username must be a string`);
    if (credential !== undefined && typeof credential !== 'string')
      throw new Error(`${where}: credential must be a string`);
    const server: IceServer = { urls: urls as string | string[] };
    if (username !== undefined) server.username = username;
    if (credential !== undefined) server.credential = credential;
    return server;
  });
}

export function helpText(): string {
  const limitLines = limitKeys.map(
    (key) =>
      `  --${kebab(key)} <n>`.padEnd(36) + `${envName(key)} (default ${DEFAULT_LIMITS[key]})`,
  );
  return [
    'Usage: tsx signaling/main.ts [options]',
    '',
    "Moot's relay: y-webrtc-compatible signaling at /signal, the built app at /,",
    '/healthz, /metrics (Prometheus) and /config (ICE servers for clients).',
    '',
    'Options (flag, then environment variable):',
    `  -p, --port <n>`.padEnd(36) + `PORT (default ${DEFAULT_PORT}; 0 picks a free port)`,
    `  --host <addr>`.padEnd(36) + `HOST (default ${DEFAULT_HOST}; 0.0.0.0 for all interfaces)`,
    `  --static <dir>`.padEnd(36) + 'MOOT_STATIC_DIR (default dist/)',
    `  --redis <url>`.padEnd(36) + 'REDIS_URL (share topics with other relays)',
    `  --ice-servers <json>`.padEnd(36) +
      'MOOT_ICE_SERVERS (e.g. [{"urls":"stun:stun.example.org"}])',
    `  --allow-origin <origin>`.padEnd(36) +
      'MOOT_ALLOWED_ORIGINS (comma list; default any origin)',
    `  --trust-proxy`.padEnd(36) + 'MOOT_TRUST_PROXY=1 (client address from X-Forwarded-For)',
    ...limitLines,
    `  -h, --help`.padEnd(36) + 'show this text',
    '',
  ].join('\n');
}
