import { render } from 'preact';
import type { Channel, UiContext, UiHandle } from '../shared/contract.js';
import { addStyles } from '../shared/launcher.js';
import { ChatView } from './chat/ChatView.js';
import { createChatSession } from './chat/session.js';
import { Home } from './Home.js';
import { chatCss, panelCss } from './styles.js';

/**
 * Entry of the lazily loaded UI chunk (`widget/ui-[hash].js`). The loader calls `mount` once, on the
 * visitor's first click (or after a page load, to resume an ongoing chat), with the widget's shadow root;
 * the panel renders beside the launcher. The chat code itself (socket.io) is another chunk, imported
 * when the chat view first opens.
 */
export function mount(root: ShadowRoot, context: UiContext): UiHandle {
  addStyles(root, panelCss + chatCss);
  const container = root.ownerDocument.createElement('div');
  context.layer.append(container);
  const session = createChatSession(context);

  let isOpen = false;
  let view: 'home' | 'chat' = 'home';
  let focus: { channel?: Channel; seq: number } = { seq: 0 };

  const draw = () =>
    render(
      !isOpen ? null : view === 'chat' ? (
        <ChatView config={context.config} session={session} onBack={() => show('home', 'chat')} onClose={context.close} focusSeq={focus.seq} />
      ) : (
        <Home settings={context.config.widget} onClose={context.close} onChoose={choose} focus={focus} />
      ),
      container,
    );

  function show(next: 'home' | 'chat', channel?: Channel) {
    view = next;
    focus = { channel, seq: focus.seq + 1 };
    draw();
  }

  function choose(channel: Channel) {
    // Pages can react to every choice; callback and feedback arrive in later releases.
    context.emit('intent', { channel });
    context.core.track(`widget:${channel}`);
    if (channel === 'chat') show('chat');
  }

  return {
    open(channel) {
      isOpen = true;
      // The launcher goes straight back into a conversation that is going on.
      show(channel === 'chat' || (!channel && session.ongoing()) ? 'chat' : 'home', channel);
    },
    close() {
      isOpen = false;
      draw();
      session.panelClosed();
    },
    resume() {
      void session.start();
    },
  };
}
