import { text } from './text.js';

/** Public site keys appear in the snippet; they are identifiers, not secrets. */
export const siteKeySchema = text()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, "-" and "_" only');
