/** Audiences: named visitor segments and their rules. */
import './audiences.css';
export { AudiencesPage } from './AudiencesPage';
