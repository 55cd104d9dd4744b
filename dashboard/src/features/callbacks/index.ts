/** Callbacks: the queue (also shown on Leads), its page and settings, alerts on any page, the nav badge's count. */
// The page (CallbacksPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
export { CallbackQueue } from './CallbackQueue';
export { useCallbackAlerts } from './alerts';
export { useWaitingCallbacks } from './count';
