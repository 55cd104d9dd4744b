/**
 * Whether the database can take work right now. While it cannot (the server is unreachable, or the
 * embedded database's disk is full), every query fails at once with `DatabaseUnavailableError` instead of
 * waiting: requests answer 503 `unavailable` in milliseconds and clients resend later, rather than every
 * request hanging for the whole outage.
 */

export type UnavailableReason = 'unreachable' | 'disk_full';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface AvailabilityStatus {
  available: boolean;
  reason?: UnavailableReason;
  /** What went wrong, for logs and `/healthz`. */
  message?: string;
  /** Epoch ms of the change to unavailable. */
  since?: number;
}

export type AvailabilityListener = (status: AvailabilityStatus) => void;

export class Availability {
  private down: Required<Omit<AvailabilityStatus, 'available'>> | undefined;
  private readonly listeners = new Set<AvailabilityListener>();

  get status(): AvailabilityStatus {
    return this.down ? { available: false, ...this.down } : { available: true };
  }

  /** Throws when the database is known to be unavailable; called before every query. */
  check() {
    if (this.down) throw new DatabaseUnavailableError(this.down.reason, this.down.message);
  }

  markDown(reason: UnavailableReason, message: string) {
    if (this.down?.reason === reason) return;
    this.down = { reason, message, since: Date.now() };
    this.emit();
  }

  markUp() {
    if (!this.down) return;
    this.down = undefined;
    this.emit();
  }

  onChange(listener: AvailabilityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit() {
    const status = this.status;
    for (const listener of this.listeners) listener(status);
  }
}

/**
 * postgres-js and Node error codes that mean "the database could not be reached or dropped the
 * connection", as opposed to a query the database refused. Such writes were not committed (or their
 * commit is unknown and the client's retry is idempotent), so they answer 503 and are sent again.
 */
const connectionErrorCodes = new Set([
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  // query_canceled: a statement_timeout or a query cancelled because no connection freed up in time.
  '57014',
  // admin_shutdown, crash_shutdown, cannot_connect_now (the server is starting or stopping).
  '57P01',
  '57P02',
  '57P03',
  // too_many_connections
  '53300',
]);

/** True for errors that mean the database is (for now) out of reach, rather than a bug or a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (connectionErrorCodes.has(code) || code.startsWith('08'))) return true;
    // drizzle wraps driver errors ("Failed query: …") with the original as `cause`.
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
