/**
 * CLI: `tsx signaling/main.ts [--port 0] ...`. Prints one line for people and one JSON line
 * (`{"event":"listening","url":...}`) that test fixtures parse to find the real port.
 */
import { parseCli } from './config';
import { startRelay } from './relay';

const cli = parseCli(process.argv.slice(2), process.env);
if (cli.kind === 'help') {
  process.stdout.write(cli.text);
  process.exit(0);
}
if (cli.kind === 'error') {
  process.stderr.write(`moot relay: ${cli.message}\nRun with --help for the options.\n`);
  process.exit(2);
}

const { options } = cli;
const relay = await startRelay(options).catch((error: NodeJS.ErrnoException) => {
  const reason =
    error.code === 'EADDRINUSE'
      ? `port ${options.port} on ${options.host} is in use (set PORT or --port)`
      : error.code === 'EACCES'
        ? `no permission to listen on ${options.host}:${options.port}`
        : error.message;
  process.stderr.write(`moot relay: cannot start: ${reason}\n`);
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    options.log('shutdown', { signal });
    // A hung close must not keep a supervisor waiting forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    relay.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

// Printed only once the handlers above are in place: whoever reads this line may signal us at once.
process.stdout.write(`Moot is running at ${relay.url}\n`);
options.log('listening', { url: relay.url, redis: options.redisUrl !== null });
