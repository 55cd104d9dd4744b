/** Chat settings: pre-chat form, business hours, greeting and auto-reply, canned responses. */
import './chat.css';
export { ChatSettingsPage } from './ChatSettingsPage';
