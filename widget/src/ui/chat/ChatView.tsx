import type { ChatEntry } from '@beckon/sdk/chat';
import type { ChatSettings, PublicSiteConfig } from '@beckon/sdk/protocol';
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../Icon.js';
import { en } from '../i18n/en.js';
import { type ChatStrings, fill } from '../i18n/index.js';
import { Panel } from '../Panel.js';
import { count } from '../plural.js';
import { closeLabel } from '../strings.js';
import type { OfflineState } from './cards.js';
import { type Answers, type Errors, type Field, fields, Input, validate } from './fields.js';
import { duration, formatTime, limitNotice } from './format.js';
import { linkify } from './linkify.js';
import type { ChatSession } from './session.js';

export interface ChatViewProps {
  config: PublicSiteConfig;
  session: ChatSession;
  onBack(): void;
  onClose(): void;
  /** Changes each time the panel opens onto the chat: focus moves in. */
  focusSeq: number;
  /** Offered once the visitor has rated an ended chat (the site's "feedback after chat" setting). */
  onFeedback?: () => void;
  /**
   * A proactive message: a trigger's greeting (`from` = the site) or an agent's invitation (`from` = the
   * agent). Answering an invitation first accepts it, so the reply lands in a conversation with that agent.
   */
  proactive?: { from: string; text: string; invitationId?: string };
  /**
   * The offline form, rating and transcript cards (`cards.tsx`, in the lazily imported extras chunk): the first call
   * starts its download, and once it is in the UI redraws and this returns it.
   */
  cards(): { Cards: typeof import('./cards.js').Cards } | undefined;
}

const noop = () => {};

// Keyboards on touch screens would cover half the chat the moment it opens: focus the composer on desktops only.
const finePointer = () => typeof matchMedia === 'function' && matchMedia('(hover: hover) and (pointer: fine)').matches;

/** The chat: agent header, message log, typing, pre-chat questions, offline form, rating, composer. */
export function ChatView({ config, session, onBack, onClose, focusSeq, onFeedback, proactive, cards }: ChatViewProps) {
  const accepted = useRef<string | undefined>(undefined);
  const [, setVersion] = useState(0);
  const [draft, setDraft] = useState('');
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Errors>({});
  const [offline, setOffline] = useState<OfflineState>({});
  const scroller = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const stick = useRef(true);
  const wantsFocus = useRef(true);

  useEffect(() => {
    const unsubscribe = session.subscribe(() => setVersion((n) => n + 1));
    session.setVisible(true);
    void session.start();
    return () => {
      unsubscribe();
      session.setVisible(false);
    };
  }, []);

  // Phones: the panel covers the visual viewport, so the on-screen keyboard never hides the composer.
  useEffect(() => {
    const viewport = window.visualViewport;
    const panel = scroller.current?.closest<HTMLElement>('.bk-panel');
    if (!viewport || !panel) return;
    const fit = () => {
      panel.style.setProperty('--bk-vh', `${viewport.height}px`);
      panel.style.setProperty('--bk-vt', `${viewport.offsetTop}px`);
      if (stick.current && scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
    };
    fit();
    viewport.addEventListener('resize', fit);
    viewport.addEventListener('scroll', fit);
    return () => {
      viewport.removeEventListener('resize', fit);
      viewport.removeEventListener('scroll', fit);
    };
  }, []);

  useLayoutEffect(() => {
    wantsFocus.current = true;
    stick.current = true;
  }, [focusSeq]);

  // After every render: keep the newest message in sight unless the visitor scrolled up to read; move focus in once.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (box && stick.current) box.scrollTop = box.scrollHeight;
    if (!wantsFocus.current) return;
    const panel = box?.closest<HTMLElement>('.bk-panel');
    if (composer.current && finePointer()) {
      composer.current.focus();
      wantsFocus.current = false;
    } else if (panel && !panel.contains((panel.getRootNode() as ShadowRoot).activeElement)) {
      panel.focus();
    }
  });

  const { chat, client, state, strings: loaded, loadFailed } = session.view();
  const strings = loaded ?? en;
  const language = config.widget.language;
  const settings: ChatSettings | null = state?.settings ?? null;
  const conversation = state?.conversation ?? null;
  const available = state?.availability?.available ?? true;
  const messages = state?.messages ?? [];
  const agentName = conversation?.agent?.name;
  const title = agentName ?? config.name;
  const failed = loadFailed || state?.status === 'failed';
  const ready = !!(chat && client && settings && loaded);
  // A trigger's words (no invitation) stay above the chat they started; an agent's invitation, once
  // accepted, is the conversation's first message and shows there instead. The proactive line takes
  // the greeting's place: it is what the visitor was shown, and two openers in a row read as noise.
  const showProactive = !!proactive && (!proactive.invitationId || accepted.current !== proactive.invitationId);

  const offlineThread = conversation?.channel === 'offline';
  const agentReplied = messages.some((entry) => entry.conversationId === conversation?.id && entry.author === 'agent');
  const showOfflineForm =
    ready && !failed && (offline.busy || (!offlineThread && !available && conversation?.status !== 'open'));
  const showComposer = ready && !failed && !showOfflineForm && (!offlineThread || agentReplied);
  const prechatFields = settings ? fields.filter((field) => settings.prechat[field] !== 'off') : [];
  const showPrechat = showComposer && !conversation && prechatFields.length > 0;
  /**
   * The cards' chunk is fetched as soon as the chat code is in: not with it, where it would share the first open's
   * bandwidth, but before the server's first answer (a WebSocket handshake and the session away) that may call for
   * the offline form at once. Until it is in, no card shows, never a half-styled one.
   */
  const Cards = chat ? cards()?.Cards : undefined;

  let statusLine = '';
  if (loadFailed || !state || state.status === 'failed') statusLine = '';
  else if (state.status === 'reconnecting') statusLine = strings.reconnecting;
  else if (!settings) statusLine = strings.connecting;
  else if (available) statusLine = fill(strings.replyTime, { time: duration(settings.expectedReplyMinutes, language) });
  else statusLine = state.availability?.reason === 'closed' ? strings.closedNow : strings.away;

  const onField = (field: Field | 'text', value: string) => {
    setAnswers((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  // A form that vanished took focus with it: keep it inside the dialog.
  const refocus = () =>
    requestAnimationFrame(() =>
      (composer.current && finePointer()
        ? composer.current
        : scroller.current?.closest<HTMLElement>('.bk-panel')
      )?.focus(),
    );

  function resize() {
    const box = composer.current;
    if (!box) return;
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight + 2, 128)}px`;
  }

  function submit() {
    if (!client || !chat || !settings) return;
    // The field itself is the truth: an IME or autofill may not have sent an input event yet.
    const text = (composer.current?.value ?? draft).trim();
    if (!text || text.length > chat.maxMessageLength) return;
    let prechat: Answers | undefined;
    if (showPrechat) {
      const found = validate(answers, settings.prechat, strings, chat);
      const first = fields.find((field) => found[field]);
      if (first) {
        setErrors(found);
        (scroller.current?.getRootNode() as ShadowRoot | undefined)?.getElementById(`bk-p-${first}`)?.focus();
        return;
      }
      prechat = { name: answers.name, email: answers.email, phone: answers.phone };
    }
    stick.current = true;
    const invitationId = proactive?.invitationId;
    if (invitationId && accepted.current !== invitationId) {
      accepted.current = invitationId;
      // Accepted first (the agent's message opens the conversation), then the reply; a failed accept still sends it.
      void client
        .acceptInvitation(invitationId)
        .catch(noop)
        .finally(() => client.send(text, prechat).catch(noop));
    } else client.send(text, prechat).catch(noop);
    setDraft('');
    requestAnimationFrame(resize);
  }

  function onKeyDown(event: KeyboardEvent) {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing a character.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  }

  const over = chat ? draft.trim().length - chat.maxMessageLength : 0;
  let lastMine: ChatEntry | undefined;
  for (const entry of messages) if (entry.author === 'visitor') lastMine = entry;

  return (
    <Panel class="bk-chat" labelledBy="bk-chat-title" onClose={onClose}>
      <div class="bk-chead">
        <button type="button" class="bk-ib" aria-label={strings.back} onClick={onBack}>
          <Icon name="back" />
        </button>
        <span class="bk-av" aria-hidden="true">
          {Array.from(title.trim())[0]?.toUpperCase() ?? '?'}
          {/* Green only while the team can actually be reached: not while this page is reconnecting. */}
          {settings && <i class={available && state?.status === 'connected' ? 'bk-dot bk-live' : 'bk-dot'} />}
        </span>
        <div class="bk-who">
          <h2 id="bk-chat-title" class="bk-cname">
            {title}
          </h2>
          <p class="bk-cstatus">{statusLine}</p>
        </div>
        <button type="button" class="bk-ib" aria-label={closeLabel(language)} onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>

      <div
        class="bk-scroll"
        ref={scroller}
        onScroll={(event) => {
          const box = event.currentTarget;
          stick.current = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
        }}
      >
        {failed && <p class="bk-banner">{strings.unavailable}</p>}
        {!failed && !ready && !showProactive && <div class="bk-spin" role="status" aria-label={strings.connecting} />}
        {ready && !available && conversation?.status === 'open' && !offlineThread && (
          <p class="bk-banner">{strings.awayBanner}</p>
        )}

        {/* New messages are announced from a live region around the list: role="log" on the <ol> itself would replace its list role and leave the <li>s outside any list. */}
        <div class="bk-live" role="log" aria-live="polite" aria-label={title} aria-busy={!ready}>
          <ol class="bk-log">
            {ready && settings?.greeting && !showProactive && (
              <li class="bk-msg">
                <span class="bk-from">{config.name}</span>
                <div class="bk-bubble">{linkify(settings.greeting)}</div>
              </li>
            )}
            {/* The trigger's words are the page's own: shown at once, not after the connection. */}
            {!failed && showProactive && (
              <li class="bk-msg bk-proactive">
                <span class="bk-from">{proactive.from}</span>
                <div class="bk-bubble">{proactive.text}</div>
              </li>
            )}
            {messages.map((entry, index) => (
              <Message
                key={entry.key}
                entry={entry}
                previous={messages[index - 1]}
                next={messages[index + 1]}
                ended={
                  entry.conversationId !== null &&
                  entry.conversationId !== messages[index + 1]?.conversationId &&
                  (entry.conversationId !== conversation?.id || conversation.status === 'closed')
                }
                isLastMine={entry === lastMine}
                siteName={config.name}
                language={language}
                strings={strings}
                onRetry={() => client?.retry(entry.clientId).catch(noop)}
              />
            ))}
          </ol>
        </div>

        {/* Under a proactive message, which shows before the connection is up. */}
        {!failed && !ready && showProactive && <div class="bk-spin" role="status" aria-label={strings.connecting} />}

        {state?.typing && (
          <div class="bk-typing">
            <span class="bk-dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            <span class="bk-sr">{fill(strings.typing, { name: state.typing })}</span>
          </div>
        )}

        {ready && Cards && (
          <Cards
            chat={chat!}
            client={client!}
            state={state!}
            settings={settings!}
            strings={strings}
            language={language}
            answers={answers}
            errors={errors}
            onField={onField}
            setErrors={setErrors}
            offline={offline}
            setOffline={setOffline}
            showOfflineForm={!!showOfflineForm}
            onFeedback={onFeedback}
            refocus={refocus}
          />
        )}

        {showPrechat && (
          <div class="bk-card" role="group" aria-labelledby="bk-pre-t">
            <p class="bk-card-t" id="bk-pre-t">
              {prechatFields.some((field) => settings!.prechat[field] === 'required')
                ? strings.prechatRequired
                : strings.prechatOptional}
            </p>
            {prechatFields.map((field) => (
              <Input
                key={field}
                id={`bk-p-${field}`}
                field={field}
                label={strings[field]}
                mode={settings!.prechat[field]}
                strings={strings}
                answers={answers}
                errors={errors}
                onInput={onField}
              />
            ))}
          </div>
        )}
      </div>

      {showComposer && (
        <form
          class="bk-foot"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          {over > 0 && (
            <p class="bk-over" id="bk-over" role="alert">
              {count(strings.tooLong, 'n', over, language)}
            </p>
          )}
          <textarea
            ref={composer}
            class="bk-ta"
            rows={1}
            value={draft}
            aria-label={strings.message}
            aria-describedby={over > 0 ? 'bk-over' : undefined}
            aria-invalid={over > 0 ? 'true' : undefined}
            placeholder={conversation?.status === 'closed' ? strings.newConversation : strings.placeholder}
            enterkeyhint="send"
            onInput={(event) => {
              setDraft(event.currentTarget.value);
              client?.setTyping(event.currentTarget.value);
              resize();
            }}
            onKeyDown={onKeyDown}
          />
          <button type="submit" class="bk-send" aria-label={strings.send} disabled={!draft.trim() || over > 0}>
            <Icon name="send" />
          </button>
        </form>
      )}
    </Panel>
  );
}

interface MessageProps {
  entry: ChatEntry;
  previous?: ChatEntry;
  next?: ChatEntry;
  /** The last message of a closed conversation: a note follows. */
  ended: boolean;
  isLastMine: boolean;
  siteName: string;
  language: string;
  strings: ChatStrings;
  onRetry(): void;
}

const sameSender = (a?: ChatEntry, b?: ChatEntry) =>
  !!a &&
  !!b &&
  a.author === b.author &&
  a.agent?.id === b.agent?.id &&
  (a.conversationId ?? b.conversationId) === (b.conversationId ?? a.conversationId);

function Message({ entry, previous, next, ended, isLastMine, siteName, language, strings, onRetry }: MessageProps) {
  const mine = entry.author === 'visitor';
  const from = mine ? strings.you : (entry.agent?.name ?? siteName);
  const firstOfGroup = !sameSender(previous, entry);
  const lastOfGroup = !sameSender(entry, next);
  const time = formatTime(entry.createdAt, language);
  let meta: JSX.Element | string | null = null;
  const notice = entry.delivery === 'failed' ? limitNotice(entry.error, strings, language) : null;
  if (entry.delivery === 'failed') {
    meta = (
      <>
        <span class="bk-fail">{strings.failed}</span> ·{' '}
        <button type="button" onClick={onRetry}>
          {strings.retry}
        </button>
      </>
    );
  } else if (entry.delivery === 'sending') meta = strings.sending;
  else if (mine && isLastMine) meta = `${time} · ${entry.delivery === 'read' ? strings.read : strings.sent}`;
  else if (lastOfGroup) meta = time;

  const classes = [
    'bk-msg',
    mine && 'bk-mine',
    entry.author === 'system' && 'bk-sys',
    entry.delivery && `bk-${entry.delivery}`,
    firstOfGroup && 'bk-first',
  ];
  return (
    <>
      <li class={classes.filter(Boolean).join(' ')}>
        {!mine && firstOfGroup ? <span class="bk-from">{from}</span> : <span class="bk-sr">{from}: </span>}
        <div class="bk-bubble" title={time}>
          {linkify(entry.text)}
        </div>
        {meta && <div class="bk-meta">{meta}</div>}
        {notice && (
          <p class="bk-err" role="alert">
            {notice}
          </p>
        )}
      </li>
      {ended && <li class="bk-note">{strings.ended}</li>}
    </>
  );
}
