import type { VisitorCallback } from '@beckon/sdk/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { WaitingCallback } from '../../shared/chat-storage.js';
import { Icon } from '../Icon.js';
import { fill, type FormStrings } from '../forms-i18n/en.js';
import { callbackStatus } from './api.js';
import { forgetWaiting } from './CallbackView.js';

export interface CallbackBubbleProps {
  endpoint: string;
  siteKey: string;
  waiting: WaitingCallback;
  strings: FormStrings['callback'];
  closeText: string;
  /** Opens the callback view (the full countdown). */
  onOpen(): void;
  /** The call happened, the countdown ended or the visitor hid the bubble: nothing left to show. */
  onEnd(): void;
  pollMs?: number;
}

/**
 * The countdown of a "call me now" request while the panel is closed — after the visitor closed it, or
 * on the next page of the shop: "We will call you in 23 s", then "Anna is calling you now". It polls the
 * same token-scoped status the callback view does, and goes when the call is over or the countdown ends.
 */
export function CallbackBubble({
  endpoint,
  siteKey,
  waiting,
  strings: s,
  closeText,
  onOpen,
  onEnd,
  pollMs = 3000,
}: CallbackBubbleProps) {
  const [callback, setCallback] = useState<VisitorCallback | null>(null);
  const [now, setNow] = useState(Date.now());
  const left = waiting.endsAt === null ? 0 : Math.max(0, Math.ceil((waiting.endsAt - now) / 1000));
  const status = callback?.status ?? 'pending';

  useEffect(() => {
    let stopped = false;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    async function poll() {
      while (!stopped) {
        const result = await callbackStatus(endpoint, waiting.id, waiting.token);
        if (stopped) return;
        if (result.ok) setCallback(result.value.callback);
        // Done, or a request the server no longer knows: nothing to wait for.
        if (result.ok ? result.value.callback.status === 'done' : result.status === 404 || result.status === 403) {
          forgetWaiting(siteKey);
          onEnd();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }
    void poll();
    return () => {
      stopped = true;
      clearInterval(tick);
    };
  }, [waiting.id]);

  // The promise was "within N seconds": past it, the callback view (one tap away) says "any moment".
  const ended = status === 'pending' && left === 0;
  useEffect(() => {
    if (ended) onEnd();
  }, [ended]);
  if (ended) return null;

  const title =
    status === 'calling'
      ? callback?.agentName
        ? fill(s.callingName, { name: callback.agentName })
        : s.calling
      : fill(s.countdown, { seconds: left });
  return (
    <div class="bk-teaser bk-cb-bubble" role="status" aria-live="polite" aria-atomic="true">
      <button type="button" class="bk-teaser-body" onClick={onOpen}>
        {status === 'pending' && (
          <span class="bk-teaser-count" aria-hidden="true">
            {left}
          </span>
        )}
        <span class="bk-teaser-text">{title}</span>
      </button>
      <button type="button" class="bk-teaser-x" aria-label={closeText} onClick={onEnd}>
        <Icon name="close" />
      </button>
    </div>
  );
}
