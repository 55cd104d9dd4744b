import type { WidgetSettings } from '@beckon/sdk/protocol';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { channels, type Channel } from '../shared/contract.js';
import { Icon } from './Icon.js';
import { Panel } from './Panel.js';
import { closeLabel } from './strings.js';

export interface HomeProps {
  settings: WidgetSettings;
  /** Channels the site switched off. */
  hidden?: readonly Channel[];
  onClose(): void;
  onChoose(channel: Channel): void;
  /** Moves focus onto this channel's entry (the first one when unset) each time `seq` changes. Off in the preview. */
  focus?: { channel?: Channel; seq: number };
}

/** The panel's first view: title, greeting and one entry per channel. */
export function Home({ settings, hidden = [], onClose, onChoose, focus }: HomeProps) {
  const shown = channels.filter((channel) => !hidden.includes(channel));
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!focus) return;
    ref.current?.querySelector<HTMLElement>(`[data-channel="${focus.channel ?? shown[0]}"]`)?.focus();
  }, [focus?.seq]);

  return (
    <Panel labelledBy="bk-title" describedBy="bk-greeting" onClose={onClose}>
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
      <div class="bk-body" ref={ref}>
        <ul class="bk-entries">
          {shown.map((channel) => (
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
    </Panel>
  );
}
