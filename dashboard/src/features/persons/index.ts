/** One person's page (links to it are components/PersonLink and lib/paths, used everywhere). */
export { PersonPage } from './PersonPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './persons.css';
