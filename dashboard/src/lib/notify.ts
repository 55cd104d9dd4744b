/**
 * New-chat alerts: a short chime made with the Web Audio API (no audio file to ship or fetch) and a
 * browser notification while the tab is hidden. Nothing is asked of the browser until the agent
 * clicks "Enable notifications"; the choice is remembered per browser.
 */
const PREF_KEY = 'beckon.notifications';

export type Permission = NotificationPermission | 'unsupported';

export const notificationPermission = (): Permission =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

export function readPreference(): boolean {
  try {
    return localStorage.getItem(PREF_KEY) === 'on';
  } catch {
    return false;
  }
}

export function writePreference(on: boolean): void {
  try {
    if (on) localStorage.setItem(PREF_KEY, 'on');
    else localStorage.removeItem(PREF_KEY);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
}

type AudioContextClass = typeof AudioContext;

/** Browsers start audio only after a user gesture; `unlock` must run inside one (a click, a key). */
export function createChime() {
  let context: AudioContext | null = null;

  const unlock = () => {
    const Ctor = (globalThis.AudioContext ??
      (globalThis as { webkitAudioContext?: AudioContextClass }).webkitAudioContext) as AudioContextClass | undefined;
    if (!Ctor) return;
    context ??= new Ctor();
    if (context.state === 'suspended') void context.resume().catch(() => {});
  };

  /** Two soft rising notes, a quarter of a second in all. */
  const play = () => {
    if (!context) return;
    if (context.state === 'suspended') void context.resume().catch(() => {});
    const start = context.currentTime + 0.01;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1318.5],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.18, start + offset + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.22);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.25);
    }
  };

  return {
    unlock,
    play,
    get unlocked() {
      return context !== null;
    },
  };
}

/** A system notification; the text is plain text by definition (no markup is interpreted). */
export function showNotification(title: string, body: string, tag: string, onClick: () => void): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(title, { body: body.slice(0, 180), tag, silent: true });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some mobile browsers only allow notifications from a service worker; the chime still played.
  }
}
