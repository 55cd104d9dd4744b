/** Install: the snippet, allowed origins and the install health card. */
import './install.css';
export { InstallPage } from './InstallPage';
