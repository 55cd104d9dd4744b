/** Install: the snippet, allowed origins and the install health card. */
// The page (InstallPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './install.css';
