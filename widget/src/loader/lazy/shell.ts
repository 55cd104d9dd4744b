// The launcher's DOM and styles, and the theme maths, as a chunk the loader imports while it fetches
// the site config (both are needed at the same moment), so they cost `beckon.js` nothing.
export { buildShell, setBadge } from '../../shared/launcher.js';
export { resumable } from '../../shared/chat-storage.js';

/**
 * Inline `!important` beats every author rule on the host page, including `* { all: unset }` and rules
 * aimed at the element itself; the custom tag name keeps `div`/`button` selectors off it entirely.
 * Set through `style.cssText` (CSSOM), which a strict CSP `style-src` allows, unlike a style attribute.
 */
export const hostStyle =
  'all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;' +
  'width:0!important;height:0!important;z-index:2147483647!important';
export { keepalive, live } from "./keepalive.js";
