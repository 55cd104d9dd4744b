import type { Core } from '@beckon/sdk/core';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';

/** The channels a visitor can pick in the panel; `Beckon('open', channel)` takes the same names. */
export const channels = ['chat', 'callback', 'feedback'] as const;
export type Channel = (typeof channels)[number];

/** `Beckon('open', 'feedback', { kind: 'nps' })`: checked by the UI chunk, which owns the forms. */
export type OpenOptions = Record<string, unknown>;

/** What the loader hands the lazily loaded UI chunk. Types only: the loader never imports UI code. */
export interface UiContext {
  config: PublicSiteConfig;
  core: Core;
  /** Origin of the Beckon server (the chat connects to it). */
  endpoint: string;
  /** The positioned layer inside the widget's shadow root; the UI appends its panel here. */
  layer: HTMLElement;
  /** Asks the loader to open the panel onto a view, as `Beckon('open', channel)` does (a tap on a bubble). */
  open(channel?: Channel, options?: OpenOptions): void;
  /** Asks the loader to close the panel (close button, Escape); the loader then calls `UiHandle.close`. */
  close(): void;
  /** Emits an event to the page's `Beckon('on', event, handler)` listeners. */
  emit(event: string, payload: unknown): void;
  /** The loader's `[beckon]` logger: silent unless the snippet has `data-debug`. */
  log(...args: unknown[]): void;
  /** Shows `count` unread messages on the launcher (0 hides the badge); `label` is read by screen readers. */
  badge(count: number, label: string): void;
}

export interface UiHandle {
  /** Shows the panel and moves focus into it (onto the channel's entry when one is named). */
  open(channel?: Channel, options?: OpenOptions): void;
  /** Hides the panel; the loader moves focus back to the launcher. */
  close(): void;
  /**
   * Reconnects the visitor's ongoing chat without opening the panel (called after a page load when
   * `chatStorageKey` holds an open conversation or unsent messages), so replies show on the launcher.
   */
  resume?(): void;
  /** `Beckon('language', …)` changed the language: the same config, localized anew (see shared/locale.ts). */
  update?(config: PublicSiteConfig): void;
}

/** The UI chunk's module shape (`widget/ui-[hash].js`). */
export interface UiModule {
  mount(root: ShadowRoot, context: UiContext): UiHandle;
}
