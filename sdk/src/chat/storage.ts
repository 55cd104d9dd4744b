import type { Prechat } from '../protocol/chat.js';

/** Where a site's chat state lives in `localStorage`; `beckon.js` reads the same key (see the widget's loader). */
export const chatStorageKey = (site: string) => `beckon:${site}:chat`;

/** A message written but not yet acknowledged, kept so a reload cannot lose it (resent with its clientId). */
export interface StoredOutgoing {
  clientId: string;
  text: string;
  prechat?: Prechat;
  createdAt: string;
}

/**
 * Everything the chat keeps on the visitor's device, written only after the visitor opened the chat and
 * the server answered (strictly necessary for the service the visitor asked for).
 */
export interface StoredChat {
  v: 1;
  token: string;
  /** The visitor's latest conversation and whether it is open: the loader reconnects in the background then. */
  conversationId?: string;
  open?: boolean;
  /** The last message of `conversationId` the visitor has seen (unread badge across page loads). */
  readSeq?: number;
  outbox?: StoredOutgoing[];
}

/** The subset of `Storage` the chat uses; pass `null` to keep everything in memory. */
export type ChatStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function browserStorage(): ChatStorage | null {
  try {
    // Reading the property throws when storage is blocked (some privacy modes, sandboxed iframes).
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readStoredChat(storage: ChatStorage | null, key: string): StoredChat | null {
  try {
    const value = JSON.parse(storage?.getItem(key) ?? 'null') as StoredChat | null;
    return value && value.v === 1 && typeof value.token === 'string' ? value : null;
  } catch {
    return null;
  }
}
