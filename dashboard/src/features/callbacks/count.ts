import { useEffect, useState } from 'preact/hooks';
import type { Callback } from '@beckon/sdk/protocol';
import { api } from '../../api';
import { useLive } from '../../live';
import { mergeIntoQueue } from './queue';

/** Requests nobody has taken yet: what the Callbacks nav item counts. */
export const waitingCount = (queue: readonly Callback[]) =>
  queue.filter((callback) => callback.status === 'pending').length;

/** The open callbacks of a site, kept live, for the nav badge (the queue itself keeps its own list). */
export function useWaitingCallbacks(siteId: string | undefined): number {
  const live = useLive();
  const [queue, setQueue] = useState<Callback[]>([]);
  useEffect(() => {
    setQueue([]);
    if (!siteId) return;
    let cancelled = false;
    const load = () =>
      api.listCallbacks(siteId, 'open').then(
        (list) => !cancelled && setQueue((current) => mergeIntoQueue(current, list)),
        () => {},
      );
    const off = live.on('callback', ({ callback }) => {
      if (callback.siteId === siteId) setQueue((current) => mergeIntoQueue(current, [callback]));
    });
    const offConnect = live.on('connect', () => void load());
    void load();
    return () => {
      cancelled = true;
      off();
      offConnect();
    };
  }, [siteId, live.on]);
  return waitingCount(queue);
}
