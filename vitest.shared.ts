import { fileURLToPath } from 'node:url';

const sdk = (path: string) => fileURLToPath(new URL(`./sdk/src/${path}`, import.meta.url));

/** Tests run against the sdk's source, so `npm run test:unit` needs no build first. */
export const sdkSourceAliases = [
  { find: /^@beckon\/sdk\/protocol$/, replacement: sdk('protocol/index.ts') },
  { find: /^@beckon\/sdk\/protocol\/constants$/, replacement: sdk('protocol/constants.ts') },
  { find: /^@beckon\/sdk\/core$/, replacement: sdk('core/index.ts') },
  { find: /^@beckon\/sdk\/chat$/, replacement: sdk('chat/index.ts') },
  { find: /^@beckon\/sdk$/, replacement: sdk('index.ts') },
];
