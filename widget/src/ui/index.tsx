import { render } from 'preact';
import type { Channel, UiContext, UiHandle } from '../shared/contract.js';
import { addStyles } from '../shared/launcher.js';
import { Panel } from './Panel.js';
import { panelCss } from './styles.js';

/**
 * Entry of the lazily loaded UI chunk (`widget/ui-[hash].js`). The loader calls `mount` once, on the
 * visitor's first click, with the widget's shadow root; the panel renders beside the launcher.
 */
export function mount(root: ShadowRoot, context: UiContext): UiHandle {
  addStyles(root, panelCss);
  const container = root.ownerDocument.createElement('div');
  context.layer.append(container);

  let seq = 0;
  const choose = (channel: Channel) => {
    // The channels themselves arrive in later releases; until then the page can react to the intent.
    context.emit('intent', { channel });
    context.core.track(`widget:${channel}`);
  };
  const draw = (open: boolean, channel?: Channel) =>
    render(
      open ? (
        <Panel settings={context.config.widget} onClose={context.close} onChoose={choose} focus={{ channel, seq: ++seq }} />
      ) : null,
      container,
    );

  return {
    open: (channel) => draw(true, channel),
    close: () => draw(false),
  };
}
