/** Proactive triggers (admins). */
export { TriggersPage } from './TriggersPage';
