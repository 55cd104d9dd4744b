import type { ChatEntry, ChatError } from '@beckon/sdk/chat';
import type { ChatSettings, PublicSiteConfig } from '@beckon/sdk/protocol';
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../Icon.js';
import { en } from '../i18n/en.js';
import { fill, type Strings } from '../i18n/index.js';
import { Panel } from '../Panel.js';
import { count } from '../plural.js';
import { closeLabel } from '../strings.js';
import { nextOpening } from '@beckon/sdk/core';
import { linkify } from './linkify.js';
import type { ChatModule, ChatSession } from './session.js';

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
}

type Field = 'name' | 'email' | 'phone';
type Answers = Partial<Record<Field | 'text', string>>;
type Errors = Partial<Record<Field | 'text', string>>;

const fields: Field[] = ['name', 'email', 'phone'];
const inputTypes = { name: 'text', email: 'email', phone: 'tel' } as const;
const autocomplete = { name: 'name', email: 'email', phone: 'tel' } as const;
const maxLengths = { name: 100, email: 254, phone: 40 } as const;
const noop = () => {};

// Keyboards on touch screens would cover half the chat the moment it opens: focus the composer on desktops only.
const finePointer = () => typeof matchMedia === 'function' && matchMedia('(hover: hover) and (pointer: fine)').matches;

function duration(minutes: number, language: string) {
  const hours = minutes >= 60;
  const value = hours ? Math.round(minutes / 60) : minutes;
  try {
    return new Intl.NumberFormat(language, {
      style: 'unit',
      unit: hours ? 'hour' : 'minute',
      unitDisplay: 'long',
    }).format(value);
  } catch {
    return `${value} ${hours ? 'h' : 'min'}`;
  }
}

/**
 * What the visitor reads when a send was refused: for the limit on new conversations, when to try
 * again (the server's words are for developers); null for every other failure.
 */
function limitNotice(error: ChatError | undefined, strings: Strings, language: string): string | null {
  if (error?.code !== 'too_many_conversations') return null;
  const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
  return fill(strings.chatLimit, { time: duration(Math.max(1, Math.ceil(seconds / 60)), language) });
}

function formatTime(
  iso: string,
  language: string,
  options: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' },
) {
  try {
    return new Intl.DateTimeFormat(language, options).format(new Date(iso));
  } catch {
    return '';
  }
}

function validate(answers: Answers, modes: Partial<Record<Field, string>>, strings: Strings, chat: ChatModule): Errors {
  const errors: Errors = {};
  for (const field of fields) {
    const value = answers[field]?.trim() ?? '';
    if (!modes[field] || modes[field] === 'off') continue;
    if (!value && modes[field] === 'required') errors[field] = strings.required;
    else if (value && field === 'email' && !chat.emailPattern.test(value)) errors[field] = strings.badEmail;
  }
  return errors;
}

/** Text inputs at 16 px (iOS zooms into anything smaller), labelled, with their error tied to them. */
function Input(props: {
  id: string;
  field: Field | 'text';
  label: string;
  mode: string;
  strings: Strings;
  answers: Answers;
  errors: Errors;
  onInput(field: Field | 'text', value: string): void;
}) {
  const { id, field, label, mode, strings, answers, errors, onInput } = props;
  const error = errors[field];
  const shared = {
    id,
    class: 'bk-in',
    name: field,
    value: answers[field] ?? '',
    required: mode === 'required',
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-e` : undefined,
    onInput: (event: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      onInput(field, event.currentTarget.value),
  };
  return (
    <div class="bk-field">
      <label for={id}>
        {label}
        {mode === 'optional' && <span class="bk-opt"> ({strings.optional})</span>}
      </label>
      {field === 'text' ? (
        <textarea {...shared} rows={4} />
      ) : (
        <input {...shared} type={inputTypes[field]} autocomplete={autocomplete[field]} maxLength={maxLengths[field]} />
      )}
      {error && (
        <p id={`${id}-e`} class="bk-err">
          {error}
        </p>
      )}
    </div>
  );
}

/** The chat: agent header, message log, typing, pre-chat questions, offline form, rating, composer. */
export function ChatView({ config, session, onBack, onClose, focusSeq, onFeedback, proactive }: ChatViewProps) {
  const accepted = useRef<string | undefined>(undefined);
  const [, setVersion] = useState(0);
  const [draft, setDraft] = useState('');
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Errors>({});
  const [offline, setOffline] = useState<{ busy?: boolean; failed?: boolean; error?: ChatError; sentTo?: string }>({});
  const [transcript, setTranscript] = useState<{ open?: boolean; busy?: boolean; failed?: boolean; sentTo?: string }>(
    {},
  );
  const [rating, setRating] = useState<{
    value: number;
    comment: string;
    busy?: boolean;
    failed?: boolean;
    done?: boolean;
  }>({ value: 0, comment: '' });
  const scroller = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const stick = useRef(true);
  const wantsFocus = useRef(true);
  const conversationId = session.view().state?.conversation?.id;

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

  // A rating belongs to one conversation.
  useEffect(() => setRating({ value: 0, comment: '' }), [conversationId]);

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
  const showRating =
    ready &&
    conversation?.status === 'closed' &&
    conversation.channel === 'chat' &&
    (!conversation.csat || rating.done);

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

  const focusFirstError = (found: Errors) => {
    const first = (Object.keys(found) as (Field | 'text')[]).find((key) => found[key]);
    const root = scroller.current?.getRootNode() as ShadowRoot | undefined;
    if (first) root?.getElementById(`bk-${showOfflineForm ? 'o' : 'p'}-${first}`)?.focus();
  };

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
      if (Object.keys(found).some((key) => found[key as Field])) {
        setErrors(found);
        focusFirstError(found);
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

  async function leaveMessage(event: Event) {
    event.preventDefault();
    if (!client || !chat || !settings) return;
    const modes = { name: settings.prechat.name, email: 'required' };
    const found: Errors = validate(answers, modes, strings, chat);
    const text = answers.text?.trim() ?? '';
    if (!text) found.text = strings.required;
    else if (text.length > chat.maxMessageLength)
      found.text = count(strings.tooLong, 'n', text.length - chat.maxMessageLength, language);
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      focusFirstError(found);
      return;
    }
    setOffline({ busy: true });
    try {
      await client.leaveMessage({ email: answers.email!.trim(), name: answers.name, text });
      setOffline({ sentTo: answers.email!.trim() });
      setAnswers((current) => ({ ...current, text: '' }));
      refocus();
    } catch (error) {
      // A ChatClientError carries the code and details of a ChatError.
      setOffline({ failed: true, error: error as ChatError });
    }
  }

  async function emailTranscript(event: Event) {
    event.preventDefault();
    if (!client || !chat) return;
    const found = validate(answers, { email: 'required' }, strings, chat);
    if (found.email) return setErrors(found);
    const email = answers.email!.trim();
    setTranscript({ open: true, busy: true });
    try {
      await client.emailTranscript(email);
      setTranscript({ sentTo: email });
    } catch {
      setTranscript({ open: true, failed: true });
    }
  }

  async function rate(event: Event) {
    event.preventDefault();
    if (!client || !conversation || !rating.value) return;
    setRating({ ...rating, busy: true, failed: false });
    try {
      await client.rate(rating.value, rating.comment, conversation.id);
      setRating({ ...rating, busy: false, done: true });
      refocus();
    } catch {
      setRating({ ...rating, busy: false, failed: true });
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing a character.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  }

  const over = chat ? draft.trim().length - chat.maxMessageLength : 0;
  const opening =
    settings && !available && state?.availability?.reason === 'closed' ? nextOpening(settings.businessHours) : null;
  const back = opening
    ? new Date().toDateString() === opening.toDateString()
      ? fill(strings.backAt, { time: formatTime(opening.toISOString(), language) })
      : fill(strings.backOn, {
          day: formatTime(opening.toISOString(), language, { weekday: 'long' }),
          time: formatTime(opening.toISOString(), language),
        })
    : '';
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

        {offlineThread && offline.sentTo && (
          <p class="bk-note" role="status">
            {fill(strings.offlineThanks, { email: offline.sentTo })}
          </p>
        )}

        {ready &&
          conversation &&
          state?.emailAvailable &&
          !showOfflineForm &&
          (transcript.sentTo ? (
            <p class="bk-note" role="status">
              {fill(strings.transcriptSent, { email: transcript.sentTo })}
            </p>
          ) : transcript.open ? (
            <form class="bk-card" onSubmit={emailTranscript} noValidate aria-label={strings.transcriptAsk}>
              <Input
                id="bk-t-email"
                field="email"
                label={strings.email}
                mode="required"
                strings={strings}
                answers={answers}
                errors={errors}
                onInput={onField}
              />
              {transcript.failed && <p class="bk-err">{strings.sendFailed}</p>}
              <button type="submit" class="bk-btn" disabled={transcript.busy}>
                {transcript.busy ? strings.sending : strings.transcriptSend}
              </button>
            </form>
          ) : (
            <p class="bk-meta">
              <button type="button" onClick={() => setTranscript({ open: true })}>
                {strings.transcriptAsk}
              </button>
            </p>
          ))}

        {showRating && (
          <form class="bk-card" onSubmit={rate} aria-labelledby="bk-rate-t">
            {rating.done ? (
              <>
                <p class="bk-card-t" id="bk-rate-t" role="status">
                  {strings.rateThanks}
                </p>
                {onFeedback && (
                  <p class="bk-meta">
                    <button type="button" onClick={onFeedback}>
                      {strings.recommend}
                    </button>
                  </p>
                )}
              </>
            ) : (
              <>
                <p class="bk-card-t" id="bk-rate-t">
                  {strings.rateTitle}
                </p>
                <div class="bk-stars" role="group" aria-labelledby="bk-rate-t">
                  {[1, 2, 3, 4, 5].map((n) => (
                    <button
                      key={n}
                      type="button"
                      class={n <= rating.value ? 'bk-star bk-on' : 'bk-star'}
                      aria-pressed={rating.value === n}
                      aria-label={fill(strings.stars, { n })}
                      onClick={() => setRating({ ...rating, value: n })}
                    >
                      <Icon name="feedback" />
                    </button>
                  ))}
                </div>
                {rating.value > 0 && (
                  <>
                    <textarea
                      class="bk-in"
                      rows={2}
                      maxLength={1000}
                      aria-label={strings.comment}
                      placeholder={strings.comment}
                      value={rating.comment}
                      onInput={(event) => setRating({ ...rating, comment: event.currentTarget.value })}
                    />
                    {rating.failed && <p class="bk-err">{strings.sendFailed}</p>}
                    <button type="submit" class="bk-btn" disabled={rating.busy}>
                      {strings.submitRating}
                    </button>
                  </>
                )}
              </>
            )}
          </form>
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

        {showOfflineForm && settings && (
          <form class="bk-card" onSubmit={leaveMessage} noValidate aria-labelledby="bk-off-t">
            <p class="bk-card-t" id="bk-off-t">
              {strings.leaveMessage}
            </p>
            <p class="bk-card-p">
              {state?.availability?.reason === 'closed' ? strings.offlineClosed : strings.offlineNoAgents} {back}
            </p>
            {settings.prechat.name !== 'off' && (
              <Input
                id="bk-o-name"
                field="name"
                label={strings.name}
                mode={settings.prechat.name}
                strings={strings}
                answers={answers}
                errors={errors}
                onInput={onField}
              />
            )}
            <Input
              id="bk-o-email"
              field="email"
              label={strings.email}
              mode="required"
              strings={strings}
              answers={answers}
              errors={errors}
              onInput={onField}
            />
            <Input
              id="bk-o-text"
              field="text"
              label={strings.message}
              mode="required"
              strings={strings}
              answers={answers}
              errors={errors}
              onInput={onField}
            />
            {offline.failed && (
              <p class="bk-err" role="alert">
                {limitNotice(offline.error, strings, language) ?? strings.sendFailed}
              </p>
            )}
            <button type="submit" class="bk-btn" disabled={offline.busy}>
              {offline.busy ? strings.sending : strings.sendMessage}
            </button>
          </form>
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
  strings: Strings;
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
