/** Team: members, invites and their sites (admins). */
// The page (TeamPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './team.css';
