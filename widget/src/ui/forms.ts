/**
 * The callback and feedback forms: a chunk the UI imports the first time a visitor opens one, so the
 * panel and chat stay small. libphonenumber-js is a further chunk, imported by the callback form.
 */
export { CallbackView } from './callback/CallbackView.js';
export { FeedbackView } from './feedback/FeedbackView.js';
export { formCss } from './form-styles.js';
export { loadFormStrings } from './forms-i18n/index.js';
export { CallbackBubble } from './callback/CallbackBubble.js';
