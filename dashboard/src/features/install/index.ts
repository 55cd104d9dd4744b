/** Install: the snippet, allowed origins and the install health card. */
export { InstallPage } from './InstallPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './install.css';
