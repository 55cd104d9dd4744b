import type { Core } from '@beckon/sdk/core';
import type { LiveAnswer } from '@beckon/sdk/protocol';
import type { TriggerHost } from './triggers.js';

/** How often a visible tab says "still here" (an agent's invitation arrives within this, plus a round trip). */
export const keepaliveMs = 8000;

/**
 * The keepalive: while the tab is visible and analytics is granted (the ping carries the visitor id), a
 * tiny `POST /v1/ping` every 8 s. It keeps an idle reader on the Visitors page and picks up an agent's
 * invitation; its answer goes out as the core's `answer` event, like a collect answer. Lives in the shell
 * chunk, which every page loads with the config, so it costs the loader nothing.
 */
export function keepalive(core: Core, endpoint: string, everyMs = keepaliveMs): () => void {
  const beat = () => {
    if (document.visibilityState !== 'visible' || !core.getConsent().analytics) return;
    fetch(`${endpoint}/v1/ping`, {
      method: 'POST',
      body: JSON.stringify({ site: core.site, visitorId: core.visitorId }),
      headers: { 'content-type': 'text/plain' },
      credentials: 'omit',
    })
      .then((response) => (response.ok ? (response.json() as Promise<LiveAnswer>) : {}))
      .then((answer: LiveAnswer) => answer.invite && core.emit('answer', answer))
      .catch(() => {});
  };
  const timer = setInterval(beat, everyMs);
  return () => clearInterval(timer);
}

type TriggersChunk = typeof import('./triggers.js');

/**
 * Called by the loader once the config and this chunk are in: starts the keepalive, and the trigger
 * engine (its own chunk) for a site with triggers or when an agent's invitation arrives. Answers that
 * come before this runs are not lost: the server repeats `hot` and a pending invitation in every answer.
 */
export function live(
  core: Core,
  config: TriggerHost['config'],
  endpoint: string,
  open: TriggerHost['open'],
  load: () => Promise<TriggersChunk>,
): void {
  // Positional arguments keep the loader's call site as small as it can be.
  const host: TriggerHost = { core, config, endpoint, open };
  keepalive(core, endpoint);
  let engine: Promise<(answer: LiveAnswer) => void> | undefined;
  const triggers = (answer?: LiveAnswer) =>
    (engine ||= load().then((chunk) => chunk.startTriggers(host)))
      .then((handle) => answer && handle(answer))
      .catch(() => {});
  if (config.triggers?.length) void triggers();
  core.on('answer', (answer) => void ((answer.invite || engine) && triggers(answer)));
}
