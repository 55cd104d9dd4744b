import { render } from 'preact';
import { App } from './App';
import { initialLocale, setLocale } from './lib/i18n';
import './styles.css';

// The first paint already speaks the agent's language: its catalogues arrive before the app renders
// (English is bundled; another language is one small fetch). A failed fetch falls back to English.
void setLocale(initialLocale())
  .catch(() => undefined)
  .finally(() => render(<App />, document.getElementById('root')!));
