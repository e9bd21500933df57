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
