/** Signing in and accepting an invite (the pages shown while signed out). */
import './auth.css';
export { AcceptInvitePage } from './AcceptInvitePage';
export { LoginPage } from './LoginPage';
