import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatMessage, ConversationSummary, Site } from '@beckon/sdk/protocol';
import { api } from '../../api';
import type { LiveFeed } from '../../live';
import { navigate } from '../../router';
import { visitorLabel } from '../../lib/format';
import {
  applyList,
  applyMessage,
  applyRead,
  applySummary,
  shouldAlert,
  unreadTotal,
  type Inbox,
  type InboxFilter,
} from './inbox';
import {
  createChime,
  notificationPermission,
  readPreference,
  showNotification,
  writePreference,
  type Permission,
} from '../../lib/notify';
import { t } from './i18n';

/** A visitor typing, with what they typed when the site allows previews. */
export interface TypingState {
  preview?: string;
  at: number;
}

export interface InboxStore {
  inbox: Inbox;
  /** The first list of open conversations has arrived. */
  ready: boolean;
  typing: Readonly<Record<string, TypingState>>;
  /** The visitor has read agent messages up to this seq (`message:read` pushes; summaries carry `visitorReadSeq` too). */
  visitorRead: Readonly<Record<string, number>>;
  /** Fetches one view and merges it; resolves when done. */
  load(filter: InboxFilter): Promise<void>;
  /** The conversation on screen, or null: its visitor messages are marked read while the tab is visible. */
  setViewing(conversationId: string | null): void;
  /** Marks everything we hold in a conversation as read (if anything is unread). */
  markRead(conversationId: string): void;
  /** Merges a summary we fetched ourselves (the conversation view's REST load), with its messages. */
  upsert(summary: ConversationSummary, messages?: readonly ChatMessage[]): void;
  unread(siteId?: string): number;
  notifications: {
    enabled: boolean;
    permission: Permission;
    enable(): Promise<void>;
    disable(): void;
  };
}

export const InboxContext = createContext<InboxStore | null>(null);

export function useInbox(): InboxStore {
  const store = useContext(InboxContext);
  if (!store) throw new Error('useInbox outside the signed-in app');
  return store;
}

/** Typing indicators expire if the visitor's "stopped" never arrives (closed tab, lost packet). */
const TYPING_TTL_MS = 6_000;
/** How long to wait for a new conversation's summary before fetching it ourselves. */
const UNKNOWN_FETCH_MS = 2_000;
const BASELINE_LIMIT = 200;

/**
 * The signed-in dashboard's view of every open conversation on the agent's sites, kept live over the
 * `/agent` socket: it feeds the Inbox page, the unread badges, the document title and new-chat alerts,
 * whichever page is open.
 */
export function useInboxStore(live: LiveFeed, meId: string, sites: readonly Site[]): InboxStore {
  const [inbox, setInboxState] = useState<Inbox>(() => new Map());
  const inboxRef = useRef<Inbox>(inbox);
  const [ready, setReady] = useState(false);
  const readyRef = useRef(false);
  const [typing, setTyping] = useState<Record<string, TypingState>>({});
  const [visitorRead, setVisitorRead] = useState<Record<string, number>>({});
  const viewing = useRef<string | null>(null);
  const sentRead = useRef(new Map<string, number>());
  const alerted = useRef(new Set<string>());
  const unknownTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  /** Messages pushed before their conversation's summary (a new chat's first message comes first). */
  const early = useRef(new Map<string, ChatMessage[]>());
  const sitesRef = useRef(sites);
  sitesRef.current = sites;
  const liveRef = useRef(live);
  liveRef.current = live;

  const [notifyOn, setNotifyOn] = useState(readPreference);
  const notifyRef = useRef(notifyOn);
  notifyRef.current = notifyOn;
  const [permission, setPermission] = useState<Permission>(notificationPermission);
  const chime = useMemo(createChime, []);

  const setInbox = useCallback((next: Inbox) => {
    if (next === inboxRef.current) return;
    inboxRef.current = next;
    setInboxState(next);
  }, []);

  const markRead = useCallback(
    (conversationId: string) => {
      const entry = inboxRef.current.get(conversationId);
      if (!entry || entry.summary.unread === 0) return;
      const seq = entry.summary.lastSeq;
      if ((sentRead.current.get(conversationId) ?? 0) < seq) {
        sentRead.current.set(conversationId, seq);
        liveRef.current.signal('message:read', { conversationId, seq });
      }
      setInbox(applyRead(inboxRef.current, conversationId, seq));
    },
    [setInbox],
  );

  const isWatching = (conversationId: string) =>
    viewing.current === conversationId && document.visibilityState === 'visible';

  /** A summary, plus any messages that arrived before it (they only refine the preview; they are counted already). */
  const withEarly = useCallback((inbox: Inbox, summary: ConversationSummary): Inbox => {
    let next = applySummary(inbox, summary);
    const buffered = early.current.get(summary.id);
    if (buffered) {
      early.current.delete(summary.id);
      for (const message of buffered) next = applyMessage(next, message);
    }
    return next;
  }, []);

  const alert = useCallback(
    (summary: ConversationSummary) => {
      if (alerted.current.has(summary.id)) return;
      alerted.current.add(summary.id);
      if (!notifyRef.current || !shouldAlert(summary, meId)) return;
      chime.play();
      if (document.visibilityState === 'visible') return;
      const site = sitesRef.current.find((s) => s.id === summary.siteId);
      const who = visitorLabel(summary.visitor);
      const title =
        summary.channel === 'offline' ? t('notifyOffline', { name: who }) : t('notifyNewChat', { name: who });
      const preview = inboxRef.current.get(summary.id)?.preview;
      const body = preview?.text ?? summary.lastMessage?.text ?? (site ? t('notifyOnSite', { site: site.name }) : '');
      showNotification(title, body, summary.id, () => {
        if (site) navigate(`/sites/${encodeURIComponent(site.key)}/inbox/${summary.id}`);
      });
    },
    [chime, meId],
  );

  const loadBaseline = useCallback(async () => {
    const startedAt = Date.now();
    const list = await api.listConversations({ view: 'all', status: 'open', limit: BASELINE_LIMIT });
    const filter: InboxFilter = { view: 'all', status: 'open' };
    // The first list is what was waiting before we opened the dashboard: it does not ring. After a
    // reconnect, chats that started while we were away do.
    const before = inboxRef.current;
    const fresh = readyRef.current ? list.filter((summary) => !before.has(summary.id)) : [];
    for (const summary of list) if (!fresh.includes(summary)) alerted.current.add(summary.id);
    setInbox(
      applyList(inboxRef.current, filter, meId, list, {
        complete: list.length < BASELINE_LIMIT,
        startedAt,
        keep: viewing.current,
      }),
    );
    readyRef.current = true;
    setReady(true);
    for (const summary of fresh) alert(summary);
  }, [meId, setInbox, alert]);

  const load = useCallback(
    async (filter: InboxFilter) => {
      const startedAt = Date.now();
      const limit = 100;
      const list = await api.listConversations({ ...filter, limit });
      setInbox(
        applyList(inboxRef.current, filter, meId, list, {
          complete: list.length < limit,
          startedAt,
          keep: viewing.current,
        }),
      );
    },
    [meId, setInbox],
  );

  const upsert = useCallback(
    (summary: ConversationSummary, messages: readonly ChatMessage[] = []) => {
      alerted.current.add(summary.id);
      let next = applySummary(inboxRef.current, summary);
      // Only the newest human message matters for the preview; the rest is a no-op.
      const human = [...messages].reverse().find((m) => !m.internal && m.author !== 'system');
      if (human) next = applyMessage(next, human);
      setInbox(next);
    },
    [setInbox],
  );

  // The socket feed. Everything is applied through pure functions (inbox.ts); this only wires events.
  useEffect(() => {
    const fetchUnknown = (conversationId: string) => {
      if (unknownTimers.current.has(conversationId)) return;
      unknownTimers.current.set(
        conversationId,
        setTimeout(() => {
          unknownTimers.current.delete(conversationId);
          if (inboxRef.current.has(conversationId)) return;
          api.getConversation(conversationId).then(
            ({ conversation }) => {
              const isNew = !inboxRef.current.has(conversation.id);
              setInbox(withEarly(inboxRef.current, conversation));
              if (isNew && readyRef.current) alert(conversation);
            },
            () => {},
          );
        }, UNKNOWN_FETCH_MS),
      );
    };

    const offs = [
      live.on('conversationUpdated', (summary) => {
        const isNew = !inboxRef.current.has(summary.id);
        setInbox(isNew ? withEarly(inboxRef.current, summary) : applySummary(inboxRef.current, summary));
        if (isNew && readyRef.current && summary.status === 'open') alert(summary);
        if (isWatching(summary.id) && summary.unread > 0) markRead(summary.id);
      }),
      live.on('messageNew', (message: ChatMessage) => {
        if (!inboxRef.current.has(message.conversationId)) {
          const buffered = early.current.get(message.conversationId) ?? [];
          if (buffered.length < 20) early.current.set(message.conversationId, [...buffered, message]);
          if (message.author === 'visitor') fetchUnknown(message.conversationId);
          return;
        }
        setInbox(applyMessage(inboxRef.current, message));
        if (message.author === 'visitor') {
          setTyping((current) => {
            if (!current[message.conversationId]) return current;
            const { [message.conversationId]: _gone, ...rest } = current;
            return rest;
          });
          if (isWatching(message.conversationId)) markRead(message.conversationId);
        }
      }),
      live.on('visitorTyping', ({ conversationId, typing: isTyping, preview }) => {
        setTyping((current) => {
          if (!isTyping) {
            if (!current[conversationId]) return current;
            const { [conversationId]: _gone, ...rest } = current;
            return rest;
          }
          return { ...current, [conversationId]: { preview, at: Date.now() } };
        });
      }),
      live.on('messageRead', ({ conversationId, seq }) => {
        setVisitorRead((current) =>
          (current[conversationId] ?? 0) >= seq ? current : { ...current, [conversationId]: seq },
        );
      }),
      // After every (re)connect: whatever changed while we were away comes back with the list.
      live.on('connect', () => {
        loadBaseline().catch(() => {});
      }),
    ];
    return () => {
      for (const off of offs) off();
      for (const timer of unknownTimers.current.values()) clearTimeout(timer);
      unknownTimers.current.clear();
    };
  }, [live.on, alert, loadBaseline, markRead, setInbox, withEarly]);

  // The list loads at once over REST, and again on every socket (re)connect so nothing that happened
  // before the socket joined its rooms, or while it was away, is missing.
  useEffect(() => {
    loadBaseline().catch(() => {});
  }, [loadBaseline]);

  // Expire typing indicators whose "stopped" never came.
  useEffect(() => {
    if (Object.keys(typing).length === 0) return;
    const timer = setInterval(() => {
      const cutoff = Date.now() - TYPING_TTL_MS;
      setTyping((current) => {
        const kept = Object.entries(current).filter(([, state]) => state.at > cutoff);
        return kept.length === Object.keys(current).length ? current : Object.fromEntries(kept);
      });
    }, 1_000);
    return () => clearInterval(timer);
  }, [typing]);

  // Coming back to the tab reads the open conversation; the audio unlocks on the first gesture.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && viewing.current) markRead(viewing.current);
      setPermission(notificationPermission());
    };
    const unlock = () => {
      if (notifyRef.current) chime.unlock();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [chime, markRead]);

  const setViewing = useCallback(
    (conversationId: string | null) => {
      viewing.current = conversationId;
      if (conversationId && document.visibilityState === 'visible') markRead(conversationId);
    },
    [markRead],
  );

  const enable = useCallback(async () => {
    chime.unlock();
    writePreference(true);
    setNotifyOn(true);
    if (notificationPermission() === 'default') {
      try {
        await Notification.requestPermission();
      } catch {
        // Old Safari takes a callback instead; the chime works regardless.
      }
    }
    setPermission(notificationPermission());
    chime.play();
  }, [chime]);

  const disable = useCallback(() => {
    writePreference(false);
    setNotifyOn(false);
  }, []);

  return useMemo<InboxStore>(
    () => ({
      inbox,
      ready,
      typing,
      visitorRead,
      load,
      setViewing,
      markRead,
      upsert,
      unread: (siteId?: string) => unreadTotal(inbox, siteId),
      notifications: { enabled: notifyOn, permission, enable, disable },
    }),
    [inbox, ready, typing, visitorRead, load, setViewing, markRead, upsert, notifyOn, permission, enable, disable],
  );
}
