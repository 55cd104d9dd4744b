/** One person's page (links to it are components/PersonLink and lib/paths, used everywhere). */
// The page (PersonPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './persons.css';
