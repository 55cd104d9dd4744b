// Loaded into the bench's server (node --expose-gc --import=…/gc-on-signal.mjs): SIGUSR2 runs full garbage
// collections, so the bench reads RSS without garbage that happens to be uncollected. Three, 20 ms apart:
// RSS settled only after the third (freed pages go back to the system in the background).
// Not through the inspector, as before: once DevTools' "collect garbage" had run (HeapProfiler.collectGarbage),
// this Node's server allocated about four times as much per message for the rest of its life (new space
// filled at ~140 MB/s instead of ~35 at 1,000 messages/s), and the extra major collections were most of
// the server's p99 in bench:chat.
process.on('SIGUSR2', async () => {
  for (let round = 0; round < 3; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    globalThis.gc?.();
  }
});
