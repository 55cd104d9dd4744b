/** Team: members, invites and their sites (admins). */
import './team.css';
export { TeamPage } from './TeamPage';
