/** Audiences: named visitor segments and their rules. */
export { AudiencesPage } from './AudiencesPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './audiences.css';
