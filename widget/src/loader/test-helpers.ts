import type { CollectBatch, CollectResponse, PublicSiteConfig } from '@beckon/sdk/protocol';
import type { SendResult, Transport } from '@beckon/sdk/core';
import { vi } from 'vitest';
import type { UiModule } from '../shared/contract.js';
import { start, type BeckonFunction, type StartOptions } from './start.js';

/** The protocol's defaults, copied so tests (like the loader) need no runtime import of the schemas. */
export const testConfig: PublicSiteConfig = {
  siteKey: 'demo',
  name: 'Demo shop',
  widget: {
    color: '#2563eb',
    position: 'bottom-right',
    launcherLabel: 'Chat with us',
    language: 'en',
    texts: {
      title: 'Hi there',
      greeting: 'Questions about an order or a product? We are here to help.',
      chat: 'Start a chat',
      callback: 'Call me back',
      feedback: 'Leave feedback',
    },
  },
  feedback: {
    enabled: true,
    defaultKind: 'nps',
    npsQuestion: 'How likely are you to recommend us to a friend or colleague?',
    csatQuestion: 'How satisfied are you with us?',
    afterChat: true,
  },
  callbackEnabled: true,
  // `implied`, so the stream flows without a consent step; the consent tests set their own mode.
  consent: {
    mode: 'implied',
    prompt: {
      enabled: true,
      texts: {
        title: 'Your privacy',
        body: 'We use storage for analytics and marketing.',
        acceptAll: 'Accept all',
        rejectAll: 'Reject all',
        analyticsOnly: 'Analytics only',
      },
    },
    policyVersion: '1',
    honourDnt: false,
    requireVerifiedIdentity: false,
  },
};

export type BeckonWindow = { Beckon?: BeckonFunction };
export const win = () => window as unknown as BeckonWindow;

/** Installs the snippet's stub exactly as the page would. */
export function installStub() {
  const w = win();
  w.Beckon =
    w.Beckon ||
    ((...args: unknown[]) => {
      const stub = w.Beckon as BeckonFunction & { q?: unknown[][] };
      (stub.q = stub.q || []).push(args);
    });
}

/** Starts the loader with a fake transport, config endpoint and UI import. */
export function startForTest(
  overrides: Partial<StartOptions> & {
    configStatus?: number;
    config?: PublicSiteConfig;
    answer?: CollectResponse;
  } = {},
) {
  const batches: CollectBatch[] = [];
  const transport: Transport = {
    send: vi.fn(async (_url: string, batch: CollectBatch): Promise<SendResult> => {
      batches.push(batch);
      return overrides.answer ?? ('ok' as const);
    }),
  };
  const fetchConfig = vi.fn(async () =>
    overrides.configStatus && overrides.configStatus !== 200
      ? new Response('{"error":{"code":"not_found","message":"no such site"}}', { status: overrides.configStatus })
      : new Response(JSON.stringify(overrides.config ?? testConfig), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
  );
  const ui = { open: vi.fn(), close: vi.fn(), update: vi.fn() };
  const uiModule: UiModule = { mount: vi.fn(() => ui) };
  const importUi = vi.fn(async () => uiModule);
  // The lazy chunks, imported from source as the browser would import their built files.
  const importChunk = vi.fn(async (url: string) => {
    if (url.endsWith('/widget/shell.js')) return import('./lazy/shell.js');
    if (url.endsWith('/widget/consent.js')) return import('../ui/consent/prompt.js');
    if (url.endsWith('/widget/pixels.js')) return import('./lazy/pixels.js');
    if (url.endsWith('/widget/external.js')) return import('./lazy/external.js');
    if (url.endsWith('/widget/triggers.js')) return import('./lazy/triggers.js');
    throw new Error(`unexpected chunk ${url}`);
  });
  const stop = start({
    site: 'demo',
    endpoint: 'https://beckon.example',
    uiFile: 'widget/ui-test.js',
    chunks: {
      shell: 'widget/shell.js',
      consent: 'widget/consent.js',
      pixels: 'widget/pixels.js',
      external: 'widget/external.js',
      triggers: 'widget/triggers.js',
    },
    importChunk,
    transport,
    fetch: fetchConfig as unknown as typeof fetch,
    importUi,
    ...overrides,
  });
  const events = () => batches.flatMap((batch) => batch.events);
  return { stop, batches, events, transport, fetchConfig, importUi, importChunk, uiModule, ui };
}

export function host() {
  return document.querySelector('beckon-widget') as HTMLElement | null;
}

export function launcher() {
  return host()?.shadowRoot?.querySelector<HTMLButtonElement>('.bk-launcher') ?? null;
}
