/** Where the SDK sends events. Empty values count as unset, so `VITE_BECKON_SITE= npm run dev` still works. */
export const config = {
  endpoint: (import.meta.env.VITE_BECKON_ENDPOINT || 'http://localhost:3000').replace(/\/+$/, ''),
  site: import.meta.env.VITE_BECKON_SITE || 'demo',
};
