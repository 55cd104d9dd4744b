import { useEffect, useRef } from 'preact/hooks';
import type { Callback, Site } from '@beckon/sdk/protocol';
import type { LiveFeed } from '../../live';
import { navigate } from '../../router';
import { createChime, readPreference, showNotification } from '../../lib/notify';
import { shownPhone } from '../../lib/format';
import { t } from './i18n';

/** What an agent should hear about: every new request, and every escalation (once per deadline). */
export function alertFor(
  callback: Callback,
  kind: 'new' | 'updated' | 'overdue',
): { key: string; title: string } | null {
  const phone = shownPhone(callback.phone);
  const who = callback.name ? `${callback.name} (${phone})` : phone;
  if (kind === 'new')
    return {
      key: `new:${callback.id}`,
      title: callback.mode === 'now' ? t('alertCallNow', { who }) : t('alertBooked', { who }),
    };
  if (kind === 'overdue') return { key: `overdue:${callback.id}:${callback.dueAt}`, title: t('alertOverdue', { who }) };
  return null;
}

/**
 * Chime and system notification for callbacks on any dashboard page (speed decides the sale), using
 * the same on/off preference and permission as new chats in the Inbox.
 */
export function useCallbackAlerts(live: LiveFeed, sites: readonly Site[]) {
  const chime = useRef(createChime()).current;
  const alerted = useRef(new Set<string>());
  const sitesRef = useRef(sites);
  sitesRef.current = sites;

  useEffect(() => {
    const unlock = () => {
      if (readPreference()) chime.unlock();
    };
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    const off = live.on('callback', ({ callback, kind }) => {
      const alert = alertFor(callback, kind);
      if (!alert || alerted.current.has(alert.key) || !readPreference()) return;
      alerted.current.add(alert.key);
      chime.play();
      if (document.visibilityState === 'visible') return;
      const site = sitesRef.current.find((candidate) => candidate.id === callback.siteId);
      showNotification(alert.title, site ? t('alertOnSite', { site: site.name }) : '', alert.key, () => {
        if (site) navigate(`/sites/${encodeURIComponent(site.key)}/callbacks#${callback.id}`);
      });
    });
    return () => {
      off();
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [live.on]);
}
