import { createBeckon, type Beckon } from '@beckon/sdk';
import { config } from './config.js';
import { createConsole, pathOf } from './console.js';
import { createPages } from './pages.js';
import { createRouter } from './router.js';
import './styles.css';

declare global {
  interface Window {
    /** The SDK instance, for trying calls from DevTools: `beckon.track('hello')`. */
    beckon?: Beckon;
  }
}

const sdkConsole = createConsole(document.getElementById('console')!);
let beckon: Beckon | undefined;

const { routes, notFound } = createPages({
  track(name, props) {
    beckon?.track(name, props);
    sdkConsole.add('track', name, props);
  },
});

const navLinks = Array.from(document.querySelectorAll<HTMLAnchorElement>('.nav a'));
const router = createRouter({
  routes,
  notFound,
  outlet: document.getElementById('outlet')!,
  onRender(path) {
    for (const link of navLinks) {
      if (link.pathname === path) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  },
});

// The router starts first: its popstate listener then runs before the SDK's, so on back/forward the
// new page (and its title) is in place when the SDK records the pageview.
router.start();

// One instance for the whole app. It records this first pageview now and one after every
// pushState / replaceState / back / forward that changes the URL.
// The demo app shows the stream at once; a real EU site keeps the default mode `required`.
beckon = createBeckon({ site: config.site, endpoint: config.endpoint, consentMode: 'implied' });
sdkConsole.add('pageview', pathOf(location.href), { note: 'recorded when the SDK started' });
sdkConsole.attach(beckon);
window.beckon = beckon;
