/** Inbox: the live conversation store (provided by the app for every page), the Inbox page, the message limit. */
export { InboxPage } from './InboxPage';
export { InboxContext, useInboxStore, type InboxStore } from './store';
export { MAX_MESSAGE_LENGTH } from './messages';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './inbox.css';
