/** One person's page (links to it are components/PersonLink and lib/paths, used everywhere). */
import './persons.css';
export { PersonPage } from './PersonPage';
