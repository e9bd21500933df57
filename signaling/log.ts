/**
 * One JSON line per notable event. Callers pass fixed event names and numbers or addresses;
 * never topics, payloads or SDP (THREATS.md Relay 9) — so the signature takes no free-form data.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (event: string, fields?: LogFields) => void;

export const jsonLogger =
  (write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger =>
  (event, fields = {}) =>
    write(JSON.stringify({ event, ...fields, time: new Date().toISOString() }));

export const silentLogger: Logger = () => {};

/**
 * A flood of bad clients must not become a flood of log lines: past `perSecond` lines of one
 * event in a second, the rest are counted and reported as one `log_suppressed` line.
 */
export function throttledLogger(
  inner: Logger,
  perSecond = 20,
  now: () => number = Date.now,
): Logger {
  const windows = new Map<string, { start: number; count: number }>();
  return (event, fields) => {
    const t = now();
    let window = windows.get(event);
    if (!window || t - window.start >= 1000) {
      const suppressed = window ? window.count - perSecond : 0;
      if (suppressed > 0) inner('log_suppressed', { of: event, count: suppressed });
      window = { start: t, count: 0 };
      windows.set(event, window);
    }
    window.count += 1;
    if (window.count <= perSecond) inner(event, fields);
  };
}
