import { describe, expect, it } from 'vitest';
import { DEFAULT_STATIC_DIR, parseCli, type CliResult } from './config';
import { DEFAULT_LIMITS } from './limits';

const run = (result: CliResult) => {
  if (result.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(result)}`);
  return result.options;
};
const error = (result: CliResult) => (result.kind === 'error' ? result.message : '');

describe('parseCli', () => {
  it('defaults to 127.0.0.1:8787, dist/, no Redis, no ICE servers, default limits', () => {
    const options = run(parseCli([], {}));
    expect(options).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      staticDir: DEFAULT_STATIC_DIR,
      redisUrl: null,
      allowedOrigins: null,
      iceServers: [],
      trustProxy: false,
      limits: DEFAULT_LIMITS,
    });
  });

  it('reads env, and flags win over env', () => {
    const env = {
      PORT: '9000',
      HOST: '0.0.0.0',
      REDIS_URL: 'redis://env',
      MOOT_MAX_FRAME_BYTES: '1000',
      MOOT_HEARTBEAT_MS: '5000',
      MOOT_ALLOWED_ORIGINS: 'https://a.example,https://b.example',
      MOOT_ICE_SERVERS: '[{"urls":["stun:s.example:3478"]}]',
    };
    const options = run(parseCli(['--port', '9100', '--max-frame-bytes', '2000'], env));
    expect(options.port).toBe(9100);
    expect(options.host).toBe('0.0.0.0');
    expect(options.redisUrl).toBe('redis://env');
    expect(options.limits.maxFrameBytes).toBe(2000);
    expect(options.limits.heartbeatMs).toBe(5000);
    expect(options.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(options.iceServers).toEqual([{ urls: ['stun:s.example:3478'] }]);
  });

  it('accepts TURN credentials', () => {
    const ice = '[{"urls":"turn:t.example:3478","username":"u","credential":"p"}]';
    expect(run(parseCli(['--ice-servers', ice], {})).iceServers).toEqual([
      { urls: 'turn:t.example:3478', username: 'u', credential: 'p' },
    ]);
  });

  it.each([
    [['--port', '70000'], 'port must be 0–65535'],
    [['--max-topics-per-connection', '0'], 'must be a positive integer'],
    [['--heartbeat-ms', '1.5'], 'must be a positive integer'],
    [['--ice-servers', 'not json'], 'must be JSON'],
    [['--ice-servers', '[{"urls":"http://x"}]'], 'stun:, stuns:, turn: or turns:'],
    [['--ice-servers', '[{"urls":"stun:x","username":5}]'], 'username must be a string'],
    [['--allow-origin', 'https://a.example/path'], 'scheme://host[:port] only'],
    [['--allow-origin', 'nope'], 'must look like'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
  ])('refuses %j', (argv, message) => {
    expect(error(parseCli(argv, {}))).toContain(message);
  });

  it('answers --help with every limit flag and its env var', () => {
    const result = parseCli(['--help'], {});
    expect(result.kind).toBe('help');
    const text = result.kind === 'help' ? result.text : '';
    expect(text).toContain('--max-connections-per-address');
    expect(text).toContain('MOOT_MAX_CONNECTIONS_PER_ADDRESS');
    expect(text).toContain('REDIS_URL');
  });
});
