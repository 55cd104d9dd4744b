import type { FeedbackKind } from '@beckon/sdk/protocol';
import { truncate } from '@beckon/sdk/core';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { UiContext } from '../../shared/contract.js';
import { Panel } from '../Panel.js';
import { ViewHeader } from '../ViewHeader.js';
import { formsEn, type FormStrings } from '../forms-i18n/en.js';
import { sendFeedback } from './api.js';

export interface FeedbackViewProps {
  context: Pick<UiContext, 'config' | 'endpoint' | 'emit'> & { core: { visitorId: string } };
  kind: FeedbackKind;
  onBack(): void;
  onClose(): void;
  strings?: FormStrings['feedback'];
  /** A proactive trigger's line, shown above the form (text only). */
  intro?: string;
}

/** NPS (0–10 + why), CSAT (1–5 + comment) or a free-text message with an optional email. */
export function FeedbackView({
  context,
  kind: initialKind,
  onBack,
  onClose,
  strings: s = formsEn.feedback,
  intro,
}: FeedbackViewProps) {
  const { config, endpoint } = context;
  const [kind, setKind] = useState<FeedbackKind>(initialKind);
  const [score, setScore] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [email, setEmail] = useState('');
  const [honeypot, setHoneypot] = useState('');
  const [error, setError] = useState<{ field?: 'score' | 'text' | 'email'; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState(false);
  const openedAt = useRef(Date.now());
  const first = useRef<HTMLButtonElement>(null);

  useLayoutEffect(() => first.current?.focus(), [done]);

  function choose(next: FeedbackKind) {
    setKind(next);
    setScore(null);
    setError(null);
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (sending) return;
    if (kind !== 'message' && score === null) return setError({ field: 'score', text: s.pickScore });
    if (kind === 'message' && !text.trim()) return setError({ field: 'text', text: s.writeMessage });
    if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      return setError({ field: 'email', text: s.badEmail });
    setError(null);
    setSending(true);
    const result = await sendFeedback(endpoint, {
      site: config.siteKey,
      kind,
      ...(kind !== 'message' ? { score } : {}),
      ...(text.trim() ? { text: truncate(text.trim(), 4000) } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
      visitorId: context.core.visitorId,
      url: truncate(location.href, 2000),
      website: honeypot,
      formMs: Date.now() - openedAt.current,
    });
    setSending(false);
    if (!result.ok) {
      const fast = (result.error?.details as { reason?: string } | undefined)?.reason === 'too_fast';
      return setError({ text: result.status === 429 && !fast ? s.tooMany : s.failed });
    }
    setDone(true);
    context.emit('feedback:sent', { kind, score: kind === 'message' ? null : score });
  }

  const scores = kind === 'nps' ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [1, 2, 3, 4, 5];
  const question = kind === 'nps' ? config.feedback.npsQuestion : kind === 'csat' ? config.feedback.csatQuestion : null;

  return (
    <Panel class="bk-chat bk-form" labelledBy="bk-fb-title" onClose={onClose}>
      <ViewHeader
        id="bk-fb-title"
        title={config.widget.texts.feedback}
        language={config.widget.language}
        backLabel={s.back}
        onBack={onBack}
        onClose={onClose}
      />
      <div class="bk-scroll bk-fbody">
        {done ? (
          <div class="bk-card bk-done" role="status">
            <p class="bk-card-t">{s.thanks}</p>
            <p class="bk-card-p">{s.thanksDetail}</p>
            <button type="button" class="bk-btn" ref={first} onClick={onClose}>
              {s.close}
            </button>
          </div>
        ) : (
          <form class="bk-card" onSubmit={submit} noValidate>
            {intro && <p class="bk-card-t bk-intro">{intro}</p>}
            <div class="bk-tabs" role="radiogroup" aria-label={s.kindsLabel}>
              {(['nps', 'csat', 'message'] as const).map((option) => (
                <button
                  key={option}
                  type="button"
                  role="radio"
                  aria-checked={kind === option}
                  class={kind === option ? 'bk-tab bk-on' : 'bk-tab'}
                  ref={kind === option ? first : undefined}
                  onClick={() => choose(option)}
                >
                  {s.kinds[option]}
                </button>
              ))}
            </div>
            {question && (
              <fieldset class="bk-scoreset">
                <legend class="bk-legend">{question}</legend>
                <div
                  class={kind === 'nps' ? 'bk-scores bk-nps' : 'bk-scores'}
                  role="radiogroup"
                  aria-invalid={error?.field === 'score' ? 'true' : undefined}
                >
                  {scores.map((value) => (
                    <button
                      key={value}
                      type="button"
                      role="radio"
                      aria-checked={score === value}
                      aria-label={kind === 'csat' ? `${value} – ${s.csatScores[value - 1]}` : String(value)}
                      class={score === value ? 'bk-score bk-on' : 'bk-score'}
                      onClick={() => setScore(value)}
                    >
                      {value}
                    </button>
                  ))}
                </div>
                <p class="bk-ends" aria-hidden="true">
                  <span>{kind === 'nps' ? s.notLikely : s.bad}</span>
                  <span>{kind === 'nps' ? s.veryLikely : s.good}</span>
                </p>
              </fieldset>
            )}
            {error?.field === 'score' && (
              <p class="bk-err" role="alert">
                {error.text}
              </p>
            )}
            <div class="bk-field">
              <label for="bk-fb-text">
                {kind === 'nps' ? s.why : kind === 'csat' ? s.comment : s.message}
                {kind !== 'message' && <span class="bk-opt"> ({s.optional})</span>}
              </label>
              <textarea
                id="bk-fb-text"
                class="bk-in"
                rows={kind === 'message' ? 5 : 3}
                maxLength={4000}
                value={text}
                aria-invalid={error?.field === 'text' ? 'true' : undefined}
                onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
              />
              {error?.field === 'text' && (
                <p class="bk-err" role="alert">
                  {error.text}
                </p>
              )}
            </div>
            <div class="bk-field">
              <label for="bk-fb-email">
                {s.email} <span class="bk-opt">({kind === 'message' ? s.emailHint : s.optional})</span>
              </label>
              <input
                id="bk-fb-email"
                class="bk-in"
                type="email"
                autoComplete="email"
                maxLength={254}
                value={email}
                aria-invalid={error?.field === 'email' ? 'true' : undefined}
                onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
              />
              {error?.field === 'email' && (
                <p class="bk-err" role="alert">
                  {error.text}
                </p>
              )}
            </div>
            <div class="bk-hp" aria-hidden="true">
              <label for="bk-fb-website">Website</label>
              <input
                id="bk-fb-website"
                type="text"
                tabIndex={-1}
                autoComplete="off"
                value={honeypot}
                onInput={(e) => setHoneypot((e.target as HTMLInputElement).value)}
              />
            </div>
            {error && !error.field && (
              <p class="bk-banner" role="alert">
                {error.text}
              </p>
            )}
            <button type="submit" class="bk-btn" disabled={sending}>
              {sending ? s.sending : s.send}
            </button>
          </form>
        )}
      </div>
    </Panel>
  );
}
