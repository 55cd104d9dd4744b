export type Log = (...args: unknown[]) => void;

/** Always says it: for the site owner's setup errors (a refused origin), which no visitor action fixes. */
export const warn: Log = (...args) => {
  try {
    console.warn('[beckon]', ...args);
  } catch {
    // A page that replaced `console` must not break because of us.
  }
};

/** A `[beckon]`-prefixed logger that says nothing unless the snippet carries `data-debug`. */
export function createLogger(debug: boolean): Log {
  return debug ? warn : () => {};
}
