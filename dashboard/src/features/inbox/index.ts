/** Inbox: the live conversation store (provided by the app for every page), the Inbox page, the message limit. */
import './inbox.css';
export { InboxPage } from './InboxPage';
export { InboxContext, useInboxStore, type InboxStore } from './store';
export { MAX_MESSAGE_LENGTH } from './messages';
