import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CannedResponse } from '../../api';
import { NoteIcon, SendIcon, ZapIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { insertCanned, searchCanned, slashQuery, unknownShortcuts, type SlashQuery } from './canned';
import { MAX_MESSAGE_LENGTH as maxMessageLength } from './messages';
import { t } from './i18n';

/** Drafts survive switching conversations (not reloads). */
const drafts = new Map<string, { text: string; internal: boolean }>();

interface ComposerProps {
  conversationId: string;
  siteKey: string;
  canned: CannedResponse[];
  /** Sends; the composer clears at once (the message shows as "sending" in the thread). */
  onSend(text: string, internal: boolean): void;
  /** Typing signal for the visitor (reply mode only). */
  onTyping(text: string): void;
  onStopTyping(): void;
  /** The reply goes to an unassigned chat: say it will be assigned to you. */
  takesOnReply: boolean;
}

export function Composer({
  conversationId,
  siteKey,
  canned,
  onSend,
  onTyping,
  onStopTyping,
  takesOnReply,
}: ComposerProps) {
  const saved = drafts.get(conversationId);
  const [text, setText] = useState(saved?.text ?? '');
  const [internal, setInternal] = useState(saved?.internal ?? false);
  const [slash, setSlash] = useState<SlashQuery | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  // A reply holding an unknown `/word` waits here for "Send as typed" (the text it was asked about).
  const [confirming, setConfirming] = useState<{ text: string; words: string[] } | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    drafts.set(conversationId, { text, internal });
  }, [conversationId, text, internal]);

  // Grow with the text up to a limit, then scroll.
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, 220)}px`;
  }, [text]);

  // Ready to type on desktop; on touch screens a focused field would pop the keyboard over the thread.
  useEffect(() => {
    if (matchMedia('(pointer: fine)').matches) area.current?.focus({ preventScroll: true });
  }, [conversationId]);

  const matches = useMemo(() => (slash ? searchCanned(canned, slash.query) : []), [slash, canned]);
  const popupOpen = slash !== null && dismissed !== slash.start;

  useEffect(() => setActive(0), [slash?.query]);

  const length = text.trim().length;
  const tooLong = length > maxMessageLength;
  const nearLimit = length > maxMessageLength - 500;

  const updateSlash = (value: string, caret: number) => {
    const next = slashQuery(value, caret);
    setSlash(next);
    if (!next) setDismissed(null);
  };

  const choose = (item: CannedResponse) => {
    if (!slash) return;
    const result = insertCanned(text, slash, item.text);
    setText(result.value);
    setSlash(null);
    if (!internal) onTyping(result.value);
    requestAnimationFrame(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(result.caret, result.caret);
    });
  };

  const send = (asTyped = false) => {
    const value = text.trim();
    if (!value || tooLong) return;
    const unknown = internal ? [] : unknownShortcuts(value, canned);
    if (unknown.length > 0 && !(asTyped && confirming?.text === value)) {
      setConfirming({ text: value, words: unknown });
      setSlash(null);
      return;
    }
    setConfirming(null);
    onSend(value, internal);
    setText('');
    setSlash(null);
    // A note is an aside: the next thing typed is a reply again, so it cannot reach only the team by mistake.
    setInternal(false);
    onStopTyping();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing) return;
    if (popupOpen && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((index) => (index + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        choose(matches[active] ?? matches[0]!);
        return;
      }
    }
    if (popupOpen && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setDismissed(slash.start);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      send();
    }
  };

  const listId = `canned-${conversationId}`;

  return (
    <form
      class={`composer${internal ? ' composer-note' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {popupOpen && (
        <div class="canned-popup" role="listbox" id={listId} aria-label={t('cannedResponses')}>
          <div class="canned-head">
            <ZapIcon size={14} />
            <span>{slash.query ? t('cannedMatching', { query: `/${slash.query}` }) : t('cannedResponses')}</span>
          </div>
          {matches.length === 0 ? (
            <p class="canned-empty">
              {canned.length === 0 ? t('noCanned') : t('nothingMatches', { query: `/${slash.query}` })}{' '}
              <Link to={`/sites/${encodeURIComponent(siteKey)}/chat#canned`}>{t('manageCanned')}</Link>
            </p>
          ) : (
            <ul class="canned-list">
              {matches.map((item, index) => (
                // biome-ignore lint/a11y/useFocusableInteractive: options of a combobox listbox are reached with aria-activedescendant; focus stays in the text box.
                <li
                  key={item.id}
                  role="option"
                  id={`${listId}-${item.id}`}
                  aria-selected={index === active}
                  class={`canned-item${index === active ? ' active' : ''}`}
                  onMouseDown={(event) => {
                    // Keep focus in the textarea.
                    event.preventDefault();
                    choose(item);
                  }}
                  onMouseEnter={() => setActive(index)}
                >
                  <span class="canned-shortcut">/{item.shortcut}</span>
                  <span class="canned-text">{item.text}</span>
                </li>
              ))}
            </ul>
          )}
          {matches.length > 0 && <p class="canned-keys">{t('cannedKeys')}</p>}
        </div>
      )}

      {confirming && (
        <div class="composer-confirm" role="alert">
          <span>
            <code>{confirming.words.join(' ')}</code> {t('notCanned', { count: confirming.words.length })}
          </span>
          <button
            type="button"
            class="btn btn-secondary btn-sm"
            onClick={() => {
              setConfirming(null);
              area.current?.focus();
            }}
          >
            {t('keepEditing')}
          </button>
          <button type="button" class="btn btn-primary btn-sm" onClick={() => send(true)}>
            {t('sendAsTyped')}
          </button>
        </div>
      )}

      <div class="composer-top">
        <div class="segmented segmented-sm" role="group" aria-label={t('messageType')}>
          <button
            type="button"
            class={`segment${!internal ? ' selected' : ''}`}
            aria-pressed={!internal}
            onClick={() => setInternal(false)}
          >
            {t('reply')}
          </button>
          <button
            type="button"
            class={`segment${internal ? ' selected' : ''}`}
            aria-pressed={internal}
            onClick={() => {
              setInternal(true);
              onStopTyping();
            }}
          >
            <NoteIcon size={13} /> {t('note')}
          </button>
        </div>
        <span class="composer-hint">{internal ? t('hintNote') : takesOnReply ? t('hintTakes') : t('hintReply')}</span>
      </div>

      <div class="composer-box">
        <textarea
          ref={area}
          class="composer-input"
          rows={1}
          value={text}
          placeholder={internal ? t('notePlaceholder') : t('replyPlaceholder')}
          aria-label={internal ? t('internalNote') : t('replyToVisitor')}
          aria-autocomplete="list"
          aria-controls={popupOpen ? listId : undefined}
          aria-activedescendant={popupOpen && matches[active] ? `${listId}-${matches[active]!.id}` : undefined}
          onInput={(event) => {
            const el = event.currentTarget;
            setText(el.value);
            setConfirming(null);
            updateSlash(el.value, el.selectionStart ?? el.value.length);
            if (!internal) onTyping(el.value);
          }}
          onKeyDown={onKeyDown}
          onClick={(event) => updateSlash(event.currentTarget.value, event.currentTarget.selectionStart ?? 0)}
          onBlur={() => {
            setSlash(null);
            if (!internal) onStopTyping();
          }}
        />
        <div class="composer-actions">
          {nearLimit && (
            <span class={`composer-count${tooLong ? ' over' : ''}`} aria-live="polite">
              {length} / {maxMessageLength}
            </span>
          )}
          <button
            type="submit"
            class={`btn ${internal ? 'btn-note' : 'btn-primary'} composer-send`}
            disabled={!length || tooLong}
          >
            {internal ? <NoteIcon size={16} /> : <SendIcon size={16} />}
            <span>{internal ? t('addNote') : t('send')}</span>
          </button>
        </div>
      </div>
    </form>
  );
}
