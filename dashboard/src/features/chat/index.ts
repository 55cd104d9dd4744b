/** Chat settings: pre-chat form, business hours, greeting and auto-reply, canned responses. */
export { ChatSettingsPage } from './ChatSettingsPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './chat.css';
