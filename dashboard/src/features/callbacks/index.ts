/** Callbacks: the queue (also shown on Leads), its page and settings, alerts on any page, the nav badge's count. */
export { CallbacksPage } from './CallbacksPage';
export { CallbackQueue } from './CallbackQueue';
export { useCallbackAlerts } from './alerts';
export { useWaitingCallbacks } from './count';
