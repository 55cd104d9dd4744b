import { render } from 'preact';
import type { FeedbackKind } from '@beckon/sdk/protocol';
import { truncateReadable } from '@beckon/sdk/core';
import type { Channel, OpenOptions, UiContext, UiHandle } from '../shared/contract.js';
import { hasOngoingChat, readWaiting, type WaitingCallback } from '../shared/chat-storage.js';
import { addStyles } from '../shared/launcher.js';
import { ChatView } from './chat/ChatView.js';
import { createChatSession } from './chat/session.js';
import { Home } from './Home.js';
import { Panel } from './Panel.js';
import { closeLabel } from './strings.js';
import { chatCss, panelCss } from './styles.js';

type Forms = typeof import('./forms.js');

const feedbackKinds: readonly FeedbackKind[] = ['nps', 'csat', 'message'];

/**
 * Entry of the lazily loaded UI chunk (`widget/ui-[hash].js`). The loader calls `mount` once, on the
 * visitor's first click (or after a page load, to resume an ongoing chat), with the widget's shadow root;
 * the panel renders beside the launcher. The chat code itself (socket.io) is another chunk, imported
 * when the chat view first opens.
 */
export function mount(root: ShadowRoot, context: UiContext): UiHandle {
  // A config cached (max-age 60 s) from before feedback settings existed must not break the panel.
  const withDefaults = (config: UiContext['config']): UiContext['config'] => ({
    ...config,
    feedback: config.feedback ?? {
      enabled: true,
      defaultKind: 'nps',
      npsQuestion: 'How likely are you to recommend us to a friend or colleague?',
      csatQuestion: 'How satisfied are you with us?',
      afterChat: false,
    },
    callbackEnabled: config.callbackEnabled ?? true,
  });
  // One context object for the whole UI: `update` swaps its config when the language changes.
  context = { ...context, config: withDefaults(context.config) };
  addStyles(root, panelCss + chatCss);
  const container = root.ownerDocument.createElement('div');
  context.layer.append(container);
  const session = createChatSession(context);

  let isOpen = false;
  let view: Channel | 'home' = 'home';
  let feedbackKind: FeedbackKind = context.config.feedback.defaultKind;
  // Each opening of a form starts it afresh (a new callback, a new answer).
  let formKey = 0;
  let focus: { channel?: Channel; seq: number } = { seq: 0 };
  // A trigger's or an agent's words for the view it opens (`Beckon('open', channel, { message, from?, invitationId? })`).
  let proactive: { from: string; text: string; invitationId?: string } | undefined;
  // An unasked open on a phone: the words wait in a bubble above the launcher until the visitor taps.
  let teaser: { channel: Channel; from: string; text: string } | undefined;
  // A "call me now" countdown this tab waits on: a bubble while the panel is closed, on every page.
  let waiting: WaitingCallback | null = readWaiting(context.config.siteKey);
  const language = () => context.config.widget.language;
  const hiddenChannels: Channel[] = [
    ...(context.config.callbackEnabled === false ? (['callback'] as const) : []),
    ...(context.config.feedback.enabled === false ? (['feedback'] as const) : []),
  ];

  // The callback and feedback forms are a chunk of their own, fetched the first time one is opened.
  let forms: (Forms & { strings: Awaited<ReturnType<Forms['loadFormStrings']>> }) | undefined;
  let _formsLoading: Promise<void> | undefined;
  function loadForms() {
    _formsLoading ??= import('./forms.js').then(
      async (module) => {
        const strings = await module.loadFormStrings(language());
        addStyles(root, module.formCss);
        forms = { ...module, strings };
        draw();
      },
      (error: unknown) => {
        _formsLoading = undefined;
        context.log('forms load failed', error);
      },
    );
  }

  /**
   * A part of the UI in a chunk of its own: `get()` gives it once it is in and starts its download on the first
   * call; its styles join the shadow root before it first renders, so it never shows unstyled, and until then
   * nothing shows in its place.
   */
  function lazy<T>(load: () => Promise<T>, css: (part: T) => string): () => T | undefined {
    let part: T | undefined;
    let _loading: Promise<void> | undefined;
    return () => {
      _loading ??= load().then(
        (loaded) => {
          addStyles(root, css(loaded));
          part = loaded;
          draw();
        },
        (error: unknown) => {
          _loading = undefined;
          context.log('chunk load failed', error);
        },
      );
      return part;
    };
  }

  // What a first chat open seldom shows (the chat's cards, the bubbles above the launcher), with styles the forms use too.
  const extras = lazy(
    () => import('./extras.js'),
    (part) => part.extrasCss,
  );

  const formView = (channel: 'callback' | 'feedback') => {
    // Both fetched at once: the forms, and the extras chunk with the styles of their buttons and texts.
    if (!extras() || !forms) {
      loadForms();
      return (
        <Panel class="bk-chat bk-form" labelledBy="bk-title" onClose={context.close}>
          <h2 id="bk-title" class="bk-sr">
            {context.config.widget.texts[channel]}
          </h2>
          <div class="bk-spin" role="status" />
        </Panel>
      );
    }
    return channel === 'callback' ? (
      <forms.CallbackView
        key={formKey}
        context={context}
        intro={proactive?.text}
        strings={forms.strings.callback}
        onBack={() => show('home', 'callback')}
        onClose={context.close}
      />
    ) : (
      <forms.FeedbackView
        key={formKey}
        context={context}
        intro={proactive?.text}
        kind={feedbackKind}
        strings={forms.strings.feedback}
        onBack={() => show('home', 'feedback')}
        onClose={context.close}
      />
    );
  };

  const closedView = () => {
    if (!waiting) return null;
    // The countdown is a bubble: the forms bring its words, the extras chunk its styles (both fetched at once).
    if (!extras() || !forms) {
      loadForms();
      return null;
    }
    return (
      <forms.CallbackBubble
        key={waiting.id}
        endpoint={context.endpoint}
        siteKey={context.config.siteKey}
        waiting={waiting}
        strings={forms.strings.callback}
        closeText={closeLabel(language())}
        onOpen={() => context.open('callback')}
        onEnd={() => {
          waiting = null;
          draw();
        }}
      />
    );
  };

  const teaserView = (shown: NonNullable<typeof teaser>) => {
    const part = extras();
    return (
      part && (
        <part.Teaser
          from={shown.from}
          text={shown.text}
          channel={shown.channel}
          action={context.config.widget.texts[shown.channel]}
          closeText={closeLabel(language())}
          onOpen={() => {
            teaser = undefined;
            show(shown.channel, shown.channel);
          }}
          onDismiss={context.close}
        />
      )
    );
  };

  const draw = () =>
    render(
      !isOpen ? (
        closedView()
      ) : teaser ? (
        teaserView(teaser)
      ) : view === 'chat' ? (
        <ChatView
          config={context.config}
          session={session}
          onBack={() => show('home', 'chat')}
          onClose={context.close}
          focusSeq={focus.seq}
          proactive={proactive}
          cards={extras}
          onFeedback={
            context.config.feedback.enabled && context.config.feedback.afterChat ? () => openFeedback('nps') : undefined
          }
        />
      ) : view === 'callback' || view === 'feedback' ? (
        formView(view)
      ) : (
        <Home
          settings={context.config.widget}
          hidden={hiddenChannels}
          onClose={context.close}
          onChoose={choose}
          focus={focus}
        />
      ),
      container,
    );

  function show(next: Channel | 'home', channel?: Channel) {
    if (next !== view && (next === 'callback' || next === 'feedback')) formKey++;
    view = next;
    focus = { channel, seq: focus.seq + 1 };
    draw();
  }

  /** After a chat: the NPS form, started afresh. */
  function openFeedback(kind: FeedbackKind) {
    feedbackKind = kind;
    formKey++;
    show('feedback');
  }

  function choose(channel: Channel) {
    context.emit('intent', { channel });
    context.core.track(`widget:${channel}`);
    if (channel === 'feedback') feedbackKind = context.config.feedback.defaultKind;
    show(channel);
  }

  return {
    open(channel, options?: OpenOptions) {
      isOpen = true;
      teaser = undefined;
      const text = options?.message;
      const from = options?.from;
      const invitationId = options?.invitationId;
      proactive =
        typeof text === 'string' && text.trim()
          ? {
              text: truncateReadable(text, 400),
              from: typeof from === 'string' && from ? truncateReadable(from, 100) : context.config.name,
              invitationId: typeof invitationId === 'string' ? invitationId : undefined,
            }
          : undefined;
      // An explicit `Beckon('open', 'callback' | 'feedback')` starts that form afresh.
      if (channel === 'callback' || channel === 'feedback') formKey++;
      if (channel === 'feedback') {
        const kind = options?.kind as FeedbackKind;
        feedbackKind = feedbackKinds.includes(kind) ? kind : context.config.feedback.defaultKind;
      }
      // Not asked for (a trigger, an agent's invitation) and on a phone, where the panel is the whole screen.
      const phone = typeof matchMedia === 'function' && matchMedia('(max-width: 480px)').matches;
      // A feedback trigger without a line of its own asks its question.
      const teaserText =
        proactive?.text ??
        (channel === 'feedback'
          ? feedbackKind === 'csat'
            ? context.config.feedback.csatQuestion
            : context.config.feedback.npsQuestion
          : '');
      if (channel && teaserText && options?.unasked === true && phone) {
        teaser = { channel, from: proactive?.from ?? context.config.name, text: teaserText };
        view = channel;
        draw();
        return;
      }
      // The launcher goes straight back into a conversation that is going on.
      show(channel ?? (session.ongoing() ? 'chat' : 'home'), channel);
    },
    close() {
      isOpen = false;
      teaser = undefined;
      // The callback form may have started a countdown: it goes on in the bubble.
      waiting = readWaiting(context.config.siteKey);
      draw();
      session.panelClosed();
    },
    resume() {
      if (hasOngoingChat(context.config.siteKey)) void session.start();
      draw();
    },
    update(config) {
      context.config = withDefaults(config);
      session.setLanguage(language());
      // The forms' words follow once their new language has loaded; the rest redraws now.
      if (forms) {
        const current = forms;
        void current.loadFormStrings(language()).then((strings) => {
          if (forms === current) forms = { ...current, strings };
          draw();
        });
      }
      draw();
    },
  };
}
