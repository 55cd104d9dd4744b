import type { Beckon } from '@beckon/sdk';
import { config } from './config.js';
import { h } from './dom.js';

export type LogKind = 'pageview' | 'track' | 'identify' | 'consent' | 'error' | 'info';

export interface EventLog {
  add(kind: LogKind, message: string, details?: unknown): void;
}

const maxEntries = 100;

/** The "SDK console" beside the pages: connection status, the event log, identify, consent and ids. */
export function createConsole(root: HTMLElement): EventLog & { attach(beckon: Beckon): void } {
  const status = h('p', { class: 'status status-pending', role: 'status' }, 'Checking the Beckon server…');
  const list = h('ol', { class: 'log', 'aria-live': 'polite', 'aria-label': 'SDK events, newest first' });
  const empty = h('p', { class: 'log-empty' }, 'Nothing yet.');
  const tools = h('div', { class: 'console-tools' });
  const facts = h('dl', { class: 'facts' });
  // Mirrors the SDK's consent: without analytics consent it drops events, and the log should say so.
  let analytics = true;

  const log: EventLog = {
    add(kind, message, details) {
      if (!analytics && (kind === 'pageview' || kind === 'track' || kind === 'identify'))
        message += ' (not sent: no consent)';
      const time = new Date().toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
      list.prepend(
        h(
          'li',
          { class: `entry entry-${kind}` },
          h('span', { class: 'entry-kind' }, kind),
          h('span', { class: 'entry-message' }, message),
          h('time', { class: 'entry-time' }, time),
          details !== undefined && h('code', { class: 'entry-details' }, JSON.stringify(details)),
        ),
      );
      while (list.children.length > maxEntries) list.lastElementChild?.remove();
      empty.hidden = true;
    },
  };

  const clear = () => {
    list.replaceChildren();
    empty.hidden = false;
  };

  root.append(
    h('div', { class: 'console-head' }, h('h2', null, 'Beckon SDK'), status),
    h(
      'div',
      { class: 'log-head' },
      h('h3', null, 'Event log'),
      h('button', { type: 'button', class: 'link-button', onclick: clear }, 'Clear'),
    ),
    h('div', { class: 'log-scroll' }, empty, list),
    tools,
    h('details', { class: 'console-details' }, h('summary', null, 'Connection details'), facts),
  );

  function attach(beckon: Beckon) {
    facts.replaceChildren(
      fact('Endpoint', config.endpoint),
      fact('Site', config.site),
      fact('Visitor', beckon.visitorId, 'visitor-id'),
      fact('Session', beckon.sessionId, 'session-id'),
    );

    const name = h('input', {
      id: 'identify-name',
      class: 'input',
      name: 'name',
      autocomplete: 'name',
      placeholder: 'Ada Lovelace',
      maxlength: '200',
    });
    const email = h('input', {
      id: 'identify-email',
      class: 'input',
      name: 'email',
      type: 'email',
      autocomplete: 'email',
      placeholder: 'ada@acme.io',
      maxlength: '254',
    });
    const form = h(
      'form',
      { class: 'identify', 'aria-labelledby': 'identify-title' },
      h('h3', { id: 'identify-title' }, 'Identify the visitor'),
      h(
        'div',
        { class: 'identify-fields' },
        h('label', { for: 'identify-name' }, 'Name'),
        h('label', { for: 'identify-email' }, 'Email'),
        name,
        email,
      ),
      h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, 'Identify'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      // The server refuses a batch with an invalid e-mail, so let the browser check it first.
      if (!form.reportValidity()) return;
      const traits = { name: name.value.trim() || undefined, email: email.value.trim() || undefined };
      if (!traits.name && !traits.email) {
        log.add('info', 'Type a name or an e-mail first');
        return;
      }
      beckon.identify(traits);
      log.add('identify', traits.email ?? traits.name ?? '', traits);
    });

    const toggle = h('input', { type: 'checkbox', id: 'consent-analytics', role: 'switch', checked: true });
    toggle.addEventListener('change', () => beckon.consent(toggle.checked ? 'grant' : 'deny', { analytics: true }));
    tools.replaceChildren(
      form,
      h(
        'label',
        { class: 'switch', for: 'consent-analytics' },
        toggle,
        h('span', null, 'Analytics consent'),
        h('small', null, 'Off: the SDK sends nothing'),
      ),
    );

    beckon.on('pageview', ({ url }) => log.add('pageview', pathOf(url)));
    beckon.on('consent', (state) => {
      analytics = state.analytics;
      log.add('consent', state.analytics ? 'analytics granted' : 'analytics denied', state);
    });
    beckon.on('error', ({ message }) => {
      log.add('error', message, { hint: `Is ${location.origin} an allowed origin of site "${config.site}"?` });
    });
    void checkServer();
  }

  /** One config request tells whether the server is up, the site exists and this origin is allowed. */
  async function checkServer() {
    const show = (state: 'ok' | 'error', text: string) => {
      status.className = `status status-${state}`;
      status.textContent = text;
    };
    try {
      const response = await fetch(`${config.endpoint}/v1/sites/${encodeURIComponent(config.site)}/config`, {
        credentials: 'omit',
      });
      const body = (await response.json().catch(() => null)) as {
        name?: string;
        error?: { code?: string; message?: string };
      } | null;
      if (response.ok) {
        show('ok', `Connected to site “${body?.name ?? config.site}”`);
      } else if (body?.error?.code === 'origin_not_allowed') {
        show(
          'error',
          `This origin is not allowed: add ${location.origin} to the site's allowed origins in the dashboard (Install page).`,
        );
      } else {
        show('error', body?.error?.message ?? `The server answered ${response.status}`);
      }
    } catch {
      show('error', `Cannot reach ${config.endpoint}. Is the Beckon server running? (set VITE_BECKON_ENDPOINT)`);
    }
  }

  return { ...log, attach };
}

function fact(term: string, value: string, id?: string) {
  return h('div', { class: 'fact' }, h('dt', null, term), h('dd', { id, title: value }, value));
}

export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search + parsed.hash;
  } catch {
    return url;
  }
}
