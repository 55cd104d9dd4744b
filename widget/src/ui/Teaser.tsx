import type { Channel } from '../shared/contract.js';
import { Icon } from './Icon.js';

/**
 * The bubbles above the launcher: the teaser, and the callback form's countdown (`CallbackBubble`, which the UI
 * shows only once these styles are in). They travel in the lazily imported extras chunk, not in the first click's
 * download.
 */
export const teaserCss = `.bk-teaser{pointer-events:auto;position:absolute;right:16px;bottom:calc(88px + env(safe-area-inset-bottom,0px));display:flex;align-items:flex-start;width:300px;max-width:calc(100% - 32px);background:#fff;color:#1f2937;border-radius:16px;box-shadow:0 10px 32px rgba(17,24,39,.22),0 1px 4px rgba(17,24,39,.1);animation:bk-in .18s ease-out}
[data-position=left] .bk-teaser{right:auto;left:16px}
.bk-teaser-body{flex:1;min-width:0;display:flex;flex-direction:column;align-items:flex-start;gap:4px;padding:14px 4px 14px 16px;border-radius:16px;text-align:left}
.bk-cb-bubble .bk-teaser-body{flex-direction:row;align-items:center;gap:12px}
.bk-teaser-body:focus-visible,.bk-teaser-x:focus-visible{outline:2px solid var(--bk-ink);outline-offset:-2px}
.bk-teaser-from{font-size:12px;font-weight:600;color:#6b7280}
.bk-teaser-text{font-size:15px;line-height:1.4;color:#111827;overflow-wrap:anywhere;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:4;overflow:hidden}
.bk-teaser-cta{display:inline-flex;align-items:center;gap:6px;margin-top:4px;font-size:14px;font-weight:600;color:var(--bk-ink)}
.bk-teaser-cta svg{width:18px;height:18px}
.bk-teaser-count{display:grid;place-items:center;flex:none;min-width:44px;height:44px;padding:0 6px;border-radius:22px;background:var(--bk-tint);color:var(--bk-ink);font-size:18px;font-weight:700;font-variant-numeric:tabular-nums}
.bk-teaser-x{display:grid;place-items:center;flex:none;width:44px;height:44px;border-radius:50%;color:#6b7280}
.bk-teaser-x svg{width:18px;height:18px}
`;

export interface TeaserProps {
  from: string;
  text: string;
  /** The channel's own entry text ("Start a chat"): what a tap does. */
  action: string;
  closeText: string;
  channel: Channel;
  onOpen(): void;
  onDismiss(): void;
}

/**
 * A trigger's or an agent's words on a phone, as a bubble above the launcher: the panel covers the whole
 * screen there, which a visitor who did not ask for it reads as a pop-up to get rid of. A tap opens the
 * view; the cross (or the launcher) dismisses it. Not a dialog, so it takes no focus from the page.
 */
export function Teaser({ from, text, action, closeText, channel, onOpen, onDismiss }: TeaserProps) {
  return (
    <div class="bk-teaser" role="status" aria-live="polite">
      <button type="button" class="bk-teaser-body" data-channel={channel} onClick={onOpen}>
        <span class="bk-teaser-from">{from}</span>
        <span class="bk-teaser-text">{text}</span>
        <span class="bk-teaser-cta">
          <Icon name={channel} />
          {action}
        </span>
      </button>
      <button type="button" class="bk-teaser-x" aria-label={closeText} onClick={onDismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}
