import type { Channel } from '../shared/contract.js';
import { Icon } from './Icon.js';

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
