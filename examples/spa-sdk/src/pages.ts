import type { Page } from './router.js';
import { h, icon, icons } from './dom.js';

/** What the pages may do besides rendering: report what the visitor did. */
export interface PageActions {
  track(name: string, props?: Record<string, string | number | boolean | null>): void;
}

const link = (href: string, text: string, className = 'btn btn-secondary') => h('a', { href, class: className }, text);

export function createPages(actions: PageActions): { routes: Record<string, Page>; notFound: Page } {
  const home: Page = {
    title: 'Home',
    render: () =>
      h(
        'section',
        { class: 'page', 'aria-labelledby': 'page-title' },
        h('p', { class: 'eyebrow' }, 'Uptime monitoring for small teams'),
        h('h1', { id: 'page-title' }, 'Know your site is down before your customers do'),
        h(
          'p',
          { class: 'lead' },
          'Skyline checks your pages every 30 seconds, tells the right person, and keeps a public status page up to date. ',
          'This is a demo app: every page you open here is a pageview the Beckon SDK sends to your Beckon server.',
        ),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-primary',
              onclick: () => actions.track('trial_started', { source: 'home_hero' }),
            },
            'Start free trial',
          ),
          link('/products', 'See the products'),
        ),
        h(
          'ul',
          { class: 'features' },
          feature(icons.pulse, 'Checks every 30 s', 'From five regions, so one flaky network does not wake anyone up.'),
          feature(icons.bell, 'Alerts that reach people', 'Email, SMS and chat, with escalation when nobody answers.'),
          feature(icons.page, 'Status pages', 'Your own domain, your colours, updated by the monitors themselves.'),
        ),
      ),
  };

  const products: Page = {
    title: 'Products',
    render: () =>
      h(
        'section',
        { class: 'page', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title' }, 'Products'),
        h(
          'p',
          { class: 'lead' },
          'Pick what you need. Each “Add” button calls track() with the product and its price.',
        ),
        h(
          'div',
          { class: 'cards' },
          product(
            actions,
            'monitors',
            'Monitors',
            icons.pulse,
            9,
            'HTTP, TCP, ping and keyword checks with response-time charts.',
          ),
          product(
            actions,
            'status-pages',
            'Status pages',
            icons.page,
            12,
            'Incidents, maintenance windows and subscriber e-mails.',
          ),
          product(
            actions,
            'on-call',
            'On-call',
            icons.users,
            15,
            'Rotations, overrides and escalation policies for your team.',
          ),
        ),
      ),
  };

  const pricing: Page = {
    title: 'Pricing',
    render: () =>
      h(
        'section',
        { class: 'page', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title' }, 'Pricing'),
        h('p', { class: 'lead' }, 'Simple monthly plans. Choosing one calls track("plan_selected").'),
        h(
          'div',
          { class: 'cards plans' },
          plan(actions, 'Free', 0, ['5 monitors', '3-minute checks', 'E-mail alerts']),
          plan(actions, 'Team', 29, ['50 monitors', '30-second checks', 'SMS and chat alerts', 'Status page'], true),
          plan(actions, 'Business', 99, ['250 monitors', '30-second checks', 'On-call rotations', 'SSO and audit log']),
        ),
      ),
  };

  const about: Page = {
    title: 'About',
    render: () =>
      h(
        'section',
        { class: 'page', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title' }, 'About Skyline'),
        h(
          'p',
          { class: 'lead' },
          'We are a small team that got tired of hearing about outages from customers. Skyline is the tool we wanted.',
        ),
        h(
          'div',
          { class: 'callout' },
          h('h2', null, 'Talk to us'),
          h('p', null, 'Want a walkthrough for your team? Ask for a demo and we will get back to you within a day.'),
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-primary',
              onclick: () => actions.track('demo_requested', { page: 'about' }),
            },
            'Request a demo',
          ),
        ),
      ),
  };

  const notFound: Page = {
    title: 'Not found',
    render: () =>
      h(
        'section',
        { class: 'page', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title' }, 'Page not found'),
        h('p', { class: 'lead' }, 'There is nothing at this address.'),
        link('/', 'Back to the home page', 'btn btn-primary'),
      ),
  };

  return { routes: { '/': home, '/products': products, '/pricing': pricing, '/about': about }, notFound };
}

function feature(path: string, title: string, text: string) {
  return h(
    'li',
    { class: 'feature' },
    h('span', { class: 'feature-icon' }, icon(path)),
    h('h2', null, title),
    h('p', null, text),
  );
}

function product(actions: PageActions, id: string, name: string, path: string, price: number, text: string) {
  return h(
    'article',
    { class: 'card' },
    h('span', { class: 'feature-icon' }, icon(path)),
    h('h2', null, name),
    h('p', null, text),
    h('p', { class: 'price' }, h('strong', null, `$${price}`), ' / month'),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-secondary',
        onclick: () => actions.track('product_added', { product: id, price }),
      },
      `Add ${name}`,
    ),
  );
}

function plan(actions: PageActions, name: string, price: number, perks: string[], featured = false) {
  return h(
    'article',
    { class: featured ? 'card plan featured' : 'card plan' },
    featured && h('span', { class: 'badge' }, 'Most popular'),
    h('h2', null, name),
    h('p', { class: 'price' }, h('strong', null, `$${price}`), ' / month'),
    h('ul', { class: 'perks' }, ...perks.map((perk) => h('li', null, icon(icons.check, 16), perk))),
    h(
      'button',
      {
        type: 'button',
        class: featured ? 'btn btn-primary' : 'btn btn-secondary',
        onclick: () => actions.track('plan_selected', { plan: name.toLowerCase(), monthly: price }),
      },
      `Choose ${name}`,
    ),
  );
}
