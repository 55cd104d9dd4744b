/**
 * What the panel seldom shows on a first chat open, in one lazily imported chunk: the chat view's cards (offline
 * message, rating, transcript) and the bubbles above the launcher (a trigger's teaser, the callback countdown),
 * with their styles.
 */
import { cardCss } from './chat/cards.js';
import { teaserCss } from './Teaser.js';

export { Cards } from './chat/cards.js';
export { Teaser } from './Teaser.js';
export const extrasCss = cardCss + teaserCss;
