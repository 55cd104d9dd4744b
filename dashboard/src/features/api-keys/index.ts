export { ApiKeysPage } from './ApiKeysPage';
import './api-keys.css';
