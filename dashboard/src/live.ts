import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fallBackToPolling } from '@beckon/sdk/chat';
import { io, type Socket } from 'socket.io-client';
import type {
  AgentClientToServer,
  AgentPresence,
  AgentServerToClient,
  Callback,
  ChatMessage,
  ConversationSummary,
  ErrorBody,
  Feedback,
  LeadSummary,
  LivePageview,
  LiveVisitor,
  TemperatureChange,
  Invitation,
  ScoringJob,
} from '@beckon/sdk/protocol';
import { ApiError, api } from './api';
import { recentIds } from './recent-ids';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';
/** The agent's chosen status: the server keeps one per agent, and every tab shows it. */
export type PresenceChoice = 'online' | 'away';

/** What pages can listen to. `connect` fires on every (re)connect so pages can refetch what they missed. */
export interface LiveEvents {
  pageview: LivePageview;
  siteUpdated: { id: string };
  /** A site's rescoring job moved on (progress, done). */
  scoringJob: ScoringJob;
  cannedUpdated: { siteId: string };
  connect: undefined;
  conversationUpdated: ConversationSummary;
  messageNew: ChatMessage;
  visitorTyping: { conversationId: string; typing: boolean; preview?: string };
  messageRead: { conversationId: string; seq: number };
  presenceUpdated: AgentPresence;
  visitorUpdated: LiveVisitor;
  /** A pre-consent row whose browser consented: that visitor's own row replaces it. */
  visitorsGone: { visitorIds: string[] };
  /**
   * The server streams this site's Visitors page to the tab now (`watchVisitors`, again after every reconnect):
   * the page reads its lists then, so nothing committed before the stream began is missed.
   */
  visitorsWatched: { siteId: string };
  visitorScore: TemperatureChange;
  leadUpdated: LeadSummary;
  /** `callback:new`, `callback:updated` and `callback:overdue` (escalation) arrive as one event. */
  callback: { callback: Callback; kind: 'new' | 'updated' | 'overdue' };
  feedbackNew: Feedback;
  invitationUpdated: Invitation;
}

type ClientEvents = AgentClientToServer;
/** Dashboard → server events that the server acknowledges. */
export type AckEvent = {
  [K in keyof ClientEvents]: Parameters<ClientEvents[K]> extends [unknown, (reply: never) => void] ? K : never;
}[keyof ClientEvents];
/** Fire-and-forget events. */
export type SignalEvent = Exclude<keyof ClientEvents, AckEvent>;
export type Payload<K extends keyof ClientEvents> = Parameters<ClientEvents[K]>[0];
export type Reply<K extends AckEvent> = Parameters<Parameters<ClientEvents[K]>[1]>[0];
export type SocketError = ErrorBody['error'] | { code: 'timeout'; message: string };

export interface LiveFeed {
  status: ConnectionStatus;
  on<K extends keyof LiveEvents>(event: K, listener: (payload: LiveEvents[K]) => void): () => void;
  /**
   * Emits an acknowledged event. Resolves with the server's reply, or `{ ok: false, error: { code: 'timeout' } }`
   * when no answer came in time (socket.io buffers emits made while offline and sends them on reconnect).
   */
  request<K extends AckEvent>(
    event: K,
    payload: Payload<K>,
    timeoutMs?: number,
  ): Promise<Reply<K> | { ok: false; error: SocketError }>;
  /** Emits an unacknowledged event; `volatile` drops it while offline (typing). */
  signal<K extends SignalEvent>(event: K, payload: Payload<K>, options?: { volatile?: boolean }): void;
  /** The agent's presence (the same in every tab, from the server) and a setter that tells the server. */
  presence: PresenceChoice;
  setPresence(status: PresenceChoice): void;
  /**
   * This tab shows the site's Visitors page: its live rows and pageviews (`visitorUpdated`, `pageview`,
   * `visitorsGone`) arrive until the returned function is called. Other pages get none of them.
   */
  watchVisitors(siteId: string): () => void;
}

const noop = () => {};
export const LiveContext = createContext<LiveFeed>({
  status: 'connecting',
  on: () => noop,
  request: async () => ({ ok: false, error: { code: 'unavailable', message: 'Not connected' } }),
  signal: noop,
  presence: 'online',
  setPresence: noop,
  watchVisitors: () => noop,
});

export const useLive = () => useContext(LiveContext);

type AgentSocket = Socket<AgentServerToClient, AgentClientToServer>;

/**
 * One `/agent` socket for the signed-in dashboard. socket.io reconnects by itself after network
 * drops; a rejection by the server's auth middleware (`connect_error: unauthorized`) is not retried
 * by socket.io, so we ask `/api/me` whether the session is still valid: a 401 there signs the user
 * out (through the API client's handler), anything else retries a little later.
 */
export function useAgentSocket(enabled: boolean): LiveFeed {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [presence, setPresenceState] = useState<PresenceChoice>('online');
  const listeners = useRef(new Map<keyof LiveEvents, Set<(payload: never) => void>>());
  const socketRef = useRef<AgentSocket | null>(null);
  /** Sites whose Visitors page this tab shows, and how many views ask for each: sent again on every connect. */
  const watchedSites = useRef(new Map<string, number>());
  const sendWatchRef = useRef<(siteId: string, watching: boolean) => void>(noop);

  useEffect(() => {
    if (!enabled) return;
    setStatus('connecting');
    const emit = <K extends keyof LiveEvents>(event: K, payload: LiveEvents[K]) => {
      for (const listener of listeners.current.get(event) ?? []) (listener as (p: LiveEvents[K]) => void)(payload);
    };
    // WebSocket first (no long-polling round trips before the upgrade); long-polling only after a WebSocket
    // could not open, its code fetched then.
    const socket: AgentSocket = io('/agent', {
      withCredentials: true,
      reconnectionDelayMax: 10_000,
      transports: ['websocket'],
    });
    fallBackToPolling(socket);
    socketRef.current = socket;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const recheckSession = () => {
      api.me().then(
        () => {
          retry = setTimeout(() => socket.connect(), 2_000);
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 401) return; // signed out by the API client
          retry = setTimeout(() => socket.connect(), 5_000);
        },
      );
    };

    // Sent only while connected: the connect handler sends every watched site, so a buffered copy would repeat it.
    sendWatchRef.current = (siteId, watching) => {
      if (!socket.connected) return;
      (socket as unknown as Socket)
        .timeout(15_000)
        .emit(
          'visitors:watch',
          { siteId, watching },
          (error: Error | null, reply: { ok: boolean; watching?: boolean }) => {
            if (!error && reply.ok && reply.watching && watchedSites.current.has(siteId))
              emit('visitorsWatched', { siteId });
          },
        );
    };
    socket.on('connect', () => {
      setStatus('live');
      // A new connection is in no room yet: the pages on screen ask for their streams again.
      for (const siteId of watchedSites.current.keys()) sendWatchRef.current(siteId, true);
      emit('connect', undefined);
    });
    socket.on('disconnect', (reason) => {
      setStatus('reconnecting');
      // The server closed us on purpose (e.g. the session was revoked): socket.io will not retry.
      if (reason === 'io server disconnect') recheckSession();
    });
    socket.on('connect_error', () => {
      setStatus('reconnecting');
      if (!socket.active) recheckSession();
    });
    socket.on('pageviews:new', (pageviews) => pageviews.forEach((pageview) => emit('pageview', pageview)));
    socket.on('site:updated', (site) => emit('siteUpdated', site));
    socket.on('scoring:job', (job) => emit('scoringJob', job));
    socket.on('canned:updated', (changed) => emit('cannedUpdated', changed));
    socket.on('conversations:updated', (conversations) =>
      conversations.forEach((conversation) => emit('conversationUpdated', conversation)),
    );
    // Each stored message once, even if it was relayed twice.
    const relayed = recentIds();
    socket.on('messages:new', (messages) =>
      messages.forEach((message) => relayed.first(message.id) && emit('messageNew', message)),
    );
    socket.on('visitor:typing', (typing) => emit('visitorTyping', typing));
    socket.on('message:read', (read) => emit('messageRead', read));
    socket.on('presence:updated', (presence) => emit('presenceUpdated', presence));
    // Sent on connect and whenever the agent changes it in any tab.
    socket.on('presence:self', ({ status }) => setPresenceState(status));
    socket.on('visitors:updated', (visitors) => visitors.forEach((visitor) => emit('visitorUpdated', visitor)));
    socket.on('visitors:gone', (gone) => emit('visitorsGone', gone));
    socket.on('visitor:score', (change) => emit('visitorScore', change));
    socket.on('lead:updated', (lead) => emit('leadUpdated', lead));
    socket.on('callback:new', (callback) => emit('callback', { callback, kind: 'new' }));
    socket.on('callback:updated', (callback) => emit('callback', { callback, kind: 'updated' }));
    socket.on('callback:overdue', (callback) => emit('callback', { callback, kind: 'overdue' }));
    socket.on('feedback:new', (feedback) => emit('feedbackNew', feedback));
    socket.on('invitation:updated', (invitation) => emit('invitationUpdated', invitation));

    return () => {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
      sendWatchRef.current = noop;
    };
  }, [enabled]);

  const watchVisitors = useCallback<LiveFeed['watchVisitors']>((siteId) => {
    const sites = watchedSites.current;
    const views = (sites.get(siteId) ?? 0) + 1;
    sites.set(siteId, views);
    if (views === 1) sendWatchRef.current(siteId, true);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      const left = (sites.get(siteId) ?? 1) - 1;
      if (left > 0) return void sites.set(siteId, left);
      sites.delete(siteId);
      sendWatchRef.current(siteId, false);
    };
  }, []);

  const on = useMemo<LiveFeed['on']>(
    () => (event, listener) => {
      const map = listeners.current;
      if (!map.has(event)) map.set(event, new Set());
      const set = map.get(event)!;
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    [],
  );

  const request = useCallback<LiveFeed['request']>((event, payload, timeoutMs = 15_000) => {
    const socket = socketRef.current as unknown as Socket | null;
    if (!socket) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'Not connected' } });
    return new Promise((resolve) => {
      socket.timeout(timeoutMs).emit(event, payload, (error: Error | null, reply: never) => {
        if (error) resolve({ ok: false, error: { code: 'timeout', message: 'No answer from the server' } });
        else resolve(reply);
      });
    });
  }, []);

  const signal = useCallback<LiveFeed['signal']>((event, payload, options) => {
    const socket = socketRef.current as unknown as Socket | null;
    if (!socket) return;
    if (options?.volatile) socket.volatile.emit(event, payload);
    else socket.emit(event, payload);
  }, []);

  const setPresence = useCallback(
    (next: PresenceChoice) => {
      setPresenceState(next);
      // Kept by the server for every tab; while offline socket.io buffers the emit and sends it on reconnect.
      void request('presence:set', { status: next }).then((reply) => {
        if (!reply.ok) setPresenceState(next === 'away' ? 'online' : 'away');
      });
    },
    [request],
  );

  return useMemo(
    () => ({ status, on, request, signal, presence, setPresence, watchVisitors }),
    [status, on, request, signal, presence, setPresence, watchVisitors],
  );
}
