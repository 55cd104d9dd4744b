import { render } from 'preact';
// The global stylesheet (tokens, base, layout, shared components) first: the features' and components'
// own stylesheets, imported by their modules, come after it in the bundle and build on it.
import './styles.css';
import { App } from './App';

render(<App />, document.getElementById('root')!);
