/** Chat settings: pre-chat form, business hours, greeting and auto-reply, canned responses. */
// The page (ChatSettingsPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './chat.css';
