import { render } from 'preact';
// The global stylesheet (tokens, base, layout, shared components) first: the features' and components'
// own stylesheets, imported by their modules, come after it in the bundle and build on it.
import './styles.css';
import { App } from './App';
import { initialLocale, setLocale } from './lib/i18n';

// The first paint already speaks the agent's language: its catalogues arrive before the app renders
// (English is bundled; another language is one small fetch). A failed fetch falls back to English.
void setLocale(initialLocale())
  .catch(() => undefined)
  .finally(() => render(<App />, document.getElementById('root')!));
