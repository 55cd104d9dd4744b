import type { ConsentState, Core, Handler } from '@beckon/sdk/core';
import type { Traits } from '@beckon/sdk/protocol';
import { channels, type Channel, type OpenOptions } from '../shared/contract.js';
import type { Log } from './logger.js';

type Props = Record<string, string | number | boolean | null>;

export interface PanelControls {
  open(channel?: Channel, options?: OpenOptions): void;
  close(): void;
  /** `Beckon('language', tag)`: a tag like `lv` or `lv-LV`, or `auto`. */
  language(tag: string): void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The server refuses a whole batch over one bad field, so calls are checked here against the same
// limits as the protocol schemas (without shipping the schemas) and skipped when they would not pass.
const traitLimits = { userId: 200, email: 254, name: 200, phone: 40, userHash: 128 } as const;

function cleanTraits(input: unknown): Traits | undefined {
  if (!isRecord(input)) return;
  const traits: Traits = {};
  for (const key of Object.keys(traitLimits) as (keyof Traits)[]) {
    const value = input[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value).trim();
    if (text.length > traitLimits[key]) return;
    if (text) traits[key] = text;
  }
  if (traits.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(traits.email)) return;
  return Object.keys(traits).length ? traits : undefined;
}

function cleanProps(input: unknown): Props | undefined | false {
  if (input === undefined || input === null) return undefined;
  if (!isRecord(input)) return false;
  const entries = Object.entries(input);
  if (entries.length > 30) return false;
  for (const [key, value] of entries) {
    const ok =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= 500);
    if (!ok || key.length > 64) return false;
  }
  return Object.fromEntries(entries) as Props;
}

/**
 * Turns `Beckon(name, ...args)` calls into core and panel actions. Unknown commands and bad arguments
 * are skipped with a debug log; nothing here throws into the host page.
 */
export function createDispatcher(core: Core, panel: PanelControls, log: Log) {
  function run(name: unknown, a: unknown, b: unknown): boolean {
    switch (name) {
      case 'identify': {
        const traits = cleanTraits(a);
        if (!traits) return false;
        core.identify(traits);
        return true;
      }
      case 'track': {
        const props = cleanProps(b);
        if (typeof a !== 'string' || !a.trim() || a.length > 100 || props === false) return false;
        core.track(a.trim(), props);
        return true;
      }
      case 'page':
        core.page();
        return true;
      case 'open':
        if ((a !== undefined && !channels.includes(a as Channel)) || (b !== undefined && !isRecord(b))) return false;
        panel.open(a as Channel | undefined, b as OpenOptions | undefined);
        return true;
      case 'close':
        panel.close();
        return true;
      case 'language':
        if (typeof a !== 'string') return false;
        panel.language(a);
        return true;
      case 'consent':
        if ((a !== 'grant' && a !== 'deny') || (b !== undefined && !isRecord(b))) return false;
        // The core reads only `analytics` and `marketing`, as flags.
        core.consent(a, b as Partial<ConsentState> | undefined);
        return true;
      case 'on':
      case 'off':
        if (typeof a !== 'string' || typeof b !== 'function') return false;
        core[name](a, b as Handler<unknown>);
        return true;
    }
    log('unknown command:', name);
    return true;
  }

  return function dispatch(args: ArrayLike<unknown>): void {
    try {
      if (!run(args[0], args[1], args[2])) log('bad arguments:', ...Array.from(args));
    } catch (error) {
      log(args[0], error);
    }
  };
}
