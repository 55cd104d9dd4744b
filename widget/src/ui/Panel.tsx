import type { WidgetSettings } from '@beckon/sdk/protocol';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { channels, type Channel } from '../shared/contract.js';
import { Icon } from './Icon.js';
import { closeLabel } from './strings.js';

export interface PanelProps {
  settings: WidgetSettings;
  onClose(): void;
  onChoose(channel: Channel): void;
  /** Moves focus onto this channel's entry (the first one when unset) each time `seq` changes. Off in the preview. */
  focus?: { channel?: Channel; seq: number };
}

const focusable = 'button:not([disabled]),[href],input:not([disabled]),select,textarea,[tabindex]:not([tabindex="-1"])';

/** The open widget: title, greeting and one entry per channel. A modal dialog for assistive tech. */
export function Panel({ settings, onClose, onChoose, focus }: PanelProps) {
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!focus) return;
    ref.current?.querySelector<HTMLElement>(`[data-channel="${focus.channel ?? channels[0]}"]`)?.focus();
  }, [focus?.seq]);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    const panel = ref.current;
    if (event.key !== 'Tab' || !panel) return;
    // Keep Tab inside the dialog while it is open.
    const items = Array.from(panel.querySelectorAll<HTMLElement>(focusable));
    const first = items[0];
    const last = items[items.length - 1];
    const active = (panel.getRootNode() as ShadowRoot | Document).activeElement;
    if (!first || !last) return;
    if (event.shiftKey && (active === first || active === panel)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div
      ref={ref}
      class="bk-panel"
      role="dialog"
      aria-modal="true"
      aria-labelledby="bk-title"
      aria-describedby="bk-greeting"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div class="bk-head">
        <h2 id="bk-title" class="bk-title">
          {settings.texts.title}
        </h2>
        <p id="bk-greeting" class="bk-greeting">
          {settings.texts.greeting}
        </p>
        <button type="button" class="bk-close" aria-label={closeLabel(settings.language)} onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div class="bk-body">
        <ul class="bk-entries">
          {channels.map((channel) => (
            <li key={channel}>
              <button type="button" class="bk-entry" data-channel={channel} onClick={() => onChoose(channel)}>
                <span class="bk-icon">
                  <Icon name={channel} />
                </span>
                <span class="bk-name">{settings.texts[channel]}</span>
                <Icon name="chevron" class="bk-chevron" />
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
