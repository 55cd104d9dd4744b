const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// Never logged, whatever a caller passes by mistake.
const secretKeys = /pass(word)?|token|secret|cookie|authorization|csrf/i;

function serialise(value: unknown): unknown {
  // A field whose value costs something to compute (a hash) may be a function: called only for a line written.
  if (typeof value === 'function') return serialise((value as () => unknown)());
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** Structured JSON lines on stdout/stderr: one object per line, easy to ship to any log store. */
export function createLogger(
  level: LogLevel = 'info',
  write = (line: string, isError: boolean) => (isError ? process.stderr : process.stdout).write(`${line}\n`),
): Logger {
  const threshold = levels[level];
  const log =
    (at: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (levels[at] < threshold) return;
      const entry: Record<string, unknown> = { time: new Date().toISOString(), level: at, msg: message };
      for (const [key, value] of Object.entries(fields))
        entry[key] = secretKeys.test(key) ? '[redacted]' : serialise(value);
      write(JSON.stringify(entry), levels[at] >= levels.warn);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
