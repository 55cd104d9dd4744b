export type Log = (...args: unknown[]) => void;

/** A `[beckon]`-prefixed logger that says nothing unless the snippet carries `data-debug`. */
export function createLogger(debug: boolean): Log {
  return debug
    ? (...args) => {
        try {
          console.warn('[beckon]', ...args);
        } catch {
          // A page that replaced `console` must not break because of us.
        }
      }
    : () => {};
}
