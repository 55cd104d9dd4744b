/** Team: members, invites and their sites (admins). */
export { TeamPage } from './TeamPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './team.css';
