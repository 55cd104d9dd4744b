/**
 * Tells the visitor the agent is typing without flooding the socket (60 events per 10 s, typing
 * included): `typing: true` at most once per `intervalMs` while keys are pressed, and one
 * `typing: false` after `idleMs` without input, on send, or when leaving the conversation.
 */
export function createTypingSignal(send: (typing: boolean) => void, { intervalMs = 2000, idleMs = 3000 } = {}) {
  let typing = false;
  let lastSent = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;

  const stop = () => {
    clearTimeout(idle);
    idle = undefined;
    if (!typing) return;
    typing = false;
    lastSent = 0;
    send(false);
  };

  return {
    /** Call on every input; an empty composer counts as stopping. */
    input(text: string) {
      if (!text.trim()) return stop();
      const now = Date.now();
      if (!typing || now - lastSent >= intervalMs) {
        typing = true;
        lastSent = now;
        send(true);
      }
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    },
    stop,
  };
}
