/** Signing in and accepting an invite (the pages shown while signed out). */
export { AcceptInvitePage } from './AcceptInvitePage';
export { LoginPage } from './LoginPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './auth.css';
