import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import type { AgentClientToServer, AgentServerToClient, LivePageview } from '@beckon/sdk/protocol';
import { ApiError, api } from './api';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

/** What pages can listen to. `connect` fires on every (re)connect so pages can refetch what they missed. */
export interface LiveEvents {
  pageview: LivePageview;
  siteUpdated: { id: string };
  connect: undefined;
}

export interface LiveFeed {
  status: ConnectionStatus;
  on<K extends keyof LiveEvents>(event: K, listener: (payload: LiveEvents[K]) => void): () => void;
}

export const LiveContext = createContext<LiveFeed>({ status: 'connecting', on: () => () => {} });

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
  const listeners = useRef(new Map<keyof LiveEvents, Set<(payload: never) => void>>());

  useEffect(() => {
    if (!enabled) return;
    setStatus('connecting');
    const emit = <K extends keyof LiveEvents>(event: K, payload: LiveEvents[K]) => {
      for (const listener of listeners.current.get(event) ?? []) (listener as (p: LiveEvents[K]) => void)(payload);
    };
    const socket: AgentSocket = io('/agent', { withCredentials: true, reconnectionDelayMax: 10_000 });
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

    socket.on('connect', () => {
      setStatus('live');
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
    socket.on('pageview:new', (pageview) => emit('pageview', pageview));
    socket.on('site:updated', (site) => emit('siteUpdated', site));

    return () => {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [enabled]);

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

  return useMemo(() => ({ status, on }), [status, on]);
}
