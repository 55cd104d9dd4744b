import type { Temperature } from '@beckon/sdk/protocol';

// Apart from routing.ts: the inbox orders by it on its first load, and routing.ts brings the routing page's catalogue.
/** hot → 0, warm → 1, cold → 2, unknown → 3: the server's queue order, kept by live updates. */
export const temperatureRank = (temperature: Temperature | null | undefined) =>
  temperature === 'hot' ? 0 : temperature === 'warm' ? 1 : temperature === 'cold' ? 2 : 3;
