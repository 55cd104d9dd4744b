import type { ChatClient, ChatError, ChatState } from '@beckon/sdk/chat';
import { nextOpening } from '@beckon/sdk/core';
import type { ChatSettings } from '@beckon/sdk/protocol';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../Icon.js';
import { enCards } from '../i18n/en-cards.js';
import { type ChatStrings, fill, type Strings } from '../i18n/index.js';
import { count } from '../plural.js';
import { type Answers, type Errors, type Field, Input, validate } from './fields.js';
import { formatTime, limitNotice } from './format.js';
import type { ChatModule } from './session.js';

/**
 * The chat view's cards that a first chat seldom shows: the offline message form (nobody online), the rating (a
 * chat ended) and the transcript request (an email-capable server, once there is a conversation). They travel in
 * the extras chunk (`../extras.ts`), off the first chat open: the chat view asks for it once the chat code is in,
 * and the UI adds these styles to the shadow root before the cards first render. The callback and feedback forms
 * reuse the cards' texts, buttons and text areas, so the UI brings the extras chunk in with them too.
 */
export const cardCss = `.bk-card-p{margin:-4px 0 12px;font-size:14px;color:#4b5563}
textarea.bk-in{resize:vertical;min-height:64px;margin-bottom:10px}
.bk-btn{display:block;width:100%;min-height:44px;padding:10px 16px;border-radius:10px;background:var(--bk-accent);color:var(--bk-on-accent);font-weight:600}
.bk-btn:disabled{opacity:.6;cursor:default}
.bk-btn:focus-visible,.bk-star:focus-visible{outline:2px solid var(--bk-ink);outline-offset:2px}
.bk-stars{display:flex;gap:2px;margin:0 0 10px}
.bk-stars:last-child{margin:0}
.bk-star{display:grid;place-items:center;width:44px;height:44px;border-radius:8px;color:#d1d5db}
.bk-star.bk-on{color:#f59e0b}
.bk-star svg{width:30px;height:30px;fill:currentColor;stroke-width:1}
`;

export interface OfflineState {
  busy?: boolean;
  failed?: boolean;
  error?: ChatError;
  sentTo?: string;
}

export interface CardsProps {
  chat: ChatModule;
  client: ChatClient;
  state: ChatState;
  settings: ChatSettings;
  /** English without its cards' words (they are here: `en-cards.ts`), or another language with all of its own. */
  strings: ChatStrings;
  language: string;
  /** The chat view's answers and errors: the pre-chat questions' name and email carry over into these forms. */
  answers: Answers;
  errors: Errors;
  onField(field: Field | 'text', value: string): void;
  setErrors(errors: Errors): void;
  /** The chat view's, since a form on its way (`busy`) keeps the composer hidden. */
  offline: OfflineState;
  setOffline(offline: OfflineState): void;
  showOfflineForm: boolean;
  /** Offered once the visitor has rated an ended chat (the site's "feedback after chat" setting). */
  onFeedback?: () => void;
  /** A card that vanished took focus with it: back into the dialog. */
  refocus(): void;
}

/** The offline note and form, the transcript request and the rating, in the chat's scrolling area. */
export function Cards(props: CardsProps) {
  const { chat, client, state, settings, language, answers, errors, onField, setErrors } = props;
  const strings: Strings = { ...enCards, ...props.strings };
  const { offline, setOffline, showOfflineForm, onFeedback, refocus } = props;
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
  const conversation = state.conversation;

  // A rating belongs to one conversation.
  useEffect(() => setRating({ value: 0, comment: '' }), [conversation?.id]);

  const showRating =
    conversation?.status === 'closed' && conversation.channel === 'chat' && (!conversation.csat || rating.done);

  async function leaveMessage(event: Event) {
    event.preventDefault();
    const modes = { name: settings.prechat.name, email: 'required' };
    const found: Errors = validate(answers, modes, strings, chat);
    const text = answers.text?.trim() ?? '';
    if (!text) found.text = strings.required;
    else if (text.length > chat.maxMessageLength)
      found.text = count(strings.tooLong, 'n', text.length - chat.maxMessageLength, language);
    const first = (Object.keys(found) as (Field | 'text')[]).find((key) => found[key]);
    if (first) {
      setErrors(found);
      (event.currentTarget as HTMLFormElement).querySelector<HTMLElement>(`#bk-o-${first}`)?.focus();
      return;
    }
    setOffline({ busy: true });
    try {
      await client.leaveMessage({ email: answers.email!.trim(), name: answers.name, text });
      setOffline({ sentTo: answers.email!.trim() });
      onField('text', '');
      refocus();
    } catch (error) {
      // A ChatClientError carries the code and details of a ChatError.
      setOffline({ failed: true, error: error as ChatError });
    }
  }

  async function emailTranscript(event: Event) {
    event.preventDefault();
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
    if (!conversation || !rating.value) return;
    setRating({ ...rating, busy: true, failed: false });
    try {
      await client.rate(rating.value, rating.comment, conversation.id);
      setRating({ ...rating, busy: false, done: true });
      refocus();
    } catch {
      setRating({ ...rating, busy: false, failed: true });
    }
  }

  // The chat view's fields, with the answers the visitor already gave (a pre-chat email fills the offline form's).
  const field = (name: Field | 'text', id: string, label: string, mode: string) => (
    <Input
      id={id}
      field={name}
      label={label}
      mode={mode}
      strings={strings}
      answers={answers}
      errors={errors}
      onInput={onField}
    />
  );

  const closed = state.availability?.reason === 'closed';
  const opening = closed && !state.availability?.available ? nextOpening(settings.businessHours) : null;
  const back = opening
    ? new Date().toDateString() === opening.toDateString()
      ? fill(strings.backAt, { time: formatTime(opening.toISOString(), language) })
      : fill(strings.backOn, {
          day: formatTime(opening.toISOString(), language, { weekday: 'long' }),
          time: formatTime(opening.toISOString(), language),
        })
    : '';

  return (
    <>
      {conversation?.channel === 'offline' && offline.sentTo && (
        <p class="bk-note" role="status">
          {fill(strings.offlineThanks, { email: offline.sentTo })}
        </p>
      )}

      {conversation &&
        state.emailAvailable &&
        !showOfflineForm &&
        (transcript.sentTo ? (
          <p class="bk-note" role="status">
            {fill(strings.transcriptSent, { email: transcript.sentTo })}
          </p>
        ) : transcript.open ? (
          <form class="bk-card" onSubmit={emailTranscript} noValidate aria-label={strings.transcriptAsk}>
            {field('email', 'bk-t-email', strings.email, 'required')}
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

      {showOfflineForm && (
        <form class="bk-card" onSubmit={leaveMessage} noValidate aria-labelledby="bk-off-t">
          <p class="bk-card-t" id="bk-off-t">
            {strings.leaveMessage}
          </p>
          <p class="bk-card-p">
            {closed ? strings.offlineClosed : strings.offlineNoAgents} {back}
          </p>
          {settings.prechat.name !== 'off' && field('name', 'bk-o-name', strings.name, settings.prechat.name)}
          {field('email', 'bk-o-email', strings.email, 'required')}
          {field('text', 'bk-o-text', strings.message, 'required')}
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
    </>
  );
}
