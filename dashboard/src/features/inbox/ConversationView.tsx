import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AgentPresence, ConversationSummary, Site } from '@beckon/sdk/protocol';
import { randomId } from '@beckon/sdk/core';
import { ApiError, api, errorMessage, type CannedResponse, type ConversationDetail } from '../../api';
import { Alert } from '../../components/Alert';
import {
  AlertIcon,
  ArrowDownIcon,
  ArrowLeftIcon,
  CheckCheckIcon,
  CheckCircleIcon,
  CheckIcon,
  ClockIcon,
  HandIcon,
  NoteIcon,
  PanelRightIcon,
  RetryIcon,
  StarIcon,
  TransferIcon,
} from '../../components/Icons';
import { EmptyState, Spinner } from '../../components/PageHeader';
import { useLive } from '../../live';
import { useSession } from '../../session';
import { Composer } from './Composer';
import { ReplyDeliveryNotice } from './ReplyDeliveryNotice';
import { clockTime, dayLabel, describeRouting, eventText, fullTime, latestOf, visitorLabel } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { addPending, deliveryOf, lastSeq, mergeMessages, setPending, type ThreadMessage } from './messages';
import { MessageText } from './MessageText';
import { registerView, rememberUnsent, transientErrors, unsentFor, updateThread } from './outbox';
import { useInbox, type TypingState } from './store';
import { buildTimeline, ratingText } from './timeline';
import { TransferDialog } from './LazyTransferDialog';
import { createTypingSignal } from './typing';
import { VisitorAvatar } from './VisitorAvatar';
import { VisitorPanel } from './VisitorPanel';
import { t } from './i18n';

/** Within this distance of the bottom the thread follows new messages; further up it shows a pill. */
const STICK_PX = 96;
/** The visitor's current page only changes on the server; refresh the sidebar this often while visible. */
const SIDEBAR_REFRESH_MS = 30_000;

interface ConversationViewProps {
  conversationId: string;
  site: Site;
  canned: CannedResponse[];
  agents: AgentPresence[];
  visitorOpen: boolean;
  onToggleVisitor(): void;
  onBack(): void;
}

export function ConversationView({
  conversationId,
  site,
  canned,
  agents,
  visitorOpen,
  onToggleVisitor,
  onBack,
}: ConversationViewProps) {
  const { me } = useSession();
  const live = useLive();
  const store = useInbox();
  const now = useNow(30_000);
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [messages, setMessagesState] = useState<ThreadMessage[]>([]);
  const messagesRef = useRef<ThreadMessage[]>([]);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'take' | 'close' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);

  const setMessages = useCallback(
    (update: (list: ThreadMessage[]) => ThreadMessage[]) => {
      const next = update(messagesRef.current);
      if (next === messagesRef.current) return;
      messagesRef.current = next;
      rememberUnsent(conversationId, next);
      setMessagesState(next);
    },
    [conversationId],
  );

  // Acks that arrive after the agent switched conversations still land (see outbox.ts).
  useEffect(() => registerView(conversationId, setMessages), [conversationId, setMessages]);

  /** Sends (or re-sends: same client id) and records the outcome in whichever thread holds the message. */
  const deliver = useCallback(
    async (target: string, clientId: string, text: string, internal: boolean) => {
      const reply = await live.request('message:send', { conversationId: target, clientId, text, internal });
      if (reply.ok) updateThread(target, (list) => mergeMessages(list, [reply.message]));
      else updateThread(target, (list) => setPending(list, clientId, 'failed', reply.error.message, reply.error.code));
    },
    [live.request],
  );

  const summary: ConversationSummary | null = store.inbox.get(conversationId)?.summary ?? detail?.conversation ?? null;
  const typing = store.typing[conversationId];
  // Known from the summary (after a reload too) and moved on live by the visitor's read receipts.
  const visitorReadSeq = Math.max(store.visitorRead[conversationId] ?? 0, summary?.visitorReadSeq ?? 0);

  // While this conversation is on screen its visitor messages count as read (when the tab is visible).
  useEffect(() => {
    store.setViewing(conversationId);
    return () => store.setViewing(null);
  }, [conversationId, store.setViewing]);

  // Load over REST, follow `messages:new`, and resync after every reconnect from the last seq we hold.
  useEffect(() => {
    let cancelled = false;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    // Start from what we still had on its way here; the load below merges the committed messages in.
    messagesRef.current = unsentFor(conversationId);
    setMessagesState(messagesRef.current);
    setDetail(null);
    setLoadError(null);
    setActionError(null);

    const merge = (incoming: Parameters<typeof mergeMessages>[1]) =>
      setMessages((list) => mergeMessages(list, incoming));

    /** Everything after what we hold; pages through long gaps (the server answers 500 at most). */
    const catchUp = async () => {
      for (let round = 0; round < 20 && !cancelled; round++) {
        const reply = await live.request('messages:since', { conversationId, afterSeq: lastSeq(messagesRef.current) });
        if (cancelled || !reply.ok) return;
        merge(reply.messages);
        if (reply.messages.length < 500) return;
      }
    };

    let failures = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () =>
      api.getConversation(conversationId).then(
        (loaded) => {
          if (cancelled) return;
          failures = 0;
          setDetail(loaded);
          merge(loaded.messages);
          store.upsert(loaded.conversation, loaded.messages);
          setLoadError(null);
          if (loaded.messages.length >= 500) void catchUp();
        },
        (error: unknown) => {
          if (cancelled) return;
          const apiError = error instanceof ApiError ? error : new ApiError(0, 'internal', errorMessage(error));
          setLoadError(apiError);
          // A network or server hiccup is retried with backoff; "not found" and "forbidden" are answers.
          if (apiError.status === 0 || apiError.status >= 500 || apiError.status === 429) {
            clearTimeout(retryTimer);
            retryTimer = setTimeout(() => void refetch(), Math.min(30_000, 2_000 * 2 ** failures++));
          }
        },
      );

    const offs = [
      live.on('messageNew', (message) => {
        if (message.conversationId === conversationId) merge([message]);
      }),
      live.on('connect', () => {
        void catchUp().then(() => {
          // Whatever is still unsent (in flight when the connection dropped, or timed out) goes again with
          // the same client id: the server stores it once and answers with the stored message.
          for (const message of messagesRef.current) {
            if (
              message.pending === 'sending' ||
              (message.pending === 'failed' && transientErrors.has(message.errorCode ?? ''))
            ) {
              setMessages((list) => setPending(list, message.clientId, 'sending'));
              void deliver(conversationId, message.clientId, message.text, message.internal);
            }
          }
        });
        void refetch();
      }),
      // Assignment, close and rating change the history and the header: fetch them (once per burst).
      live.on('conversationUpdated', (updated) => {
        if (updated.id !== conversationId) return;
        clearTimeout(refetchTimer);
        refetchTimer = setTimeout(() => void refetch(), 300);
      }),
    ];
    void refetch();
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible') void refetch();
    }, SIDEBAR_REFRESH_MS);
    return () => {
      cancelled = true;
      clearTimeout(refetchTimer);
      clearTimeout(retryTimer);
      clearInterval(poll);
      for (const off of offs) off();
    };
  }, [conversationId, live.on, live.request, setMessages, store.upsert, deliver]);

  // Typing indicator for the visitor: throttled, and stopped when leaving the conversation.
  const typingSignal = useMemo(
    // "Typing" may be dropped while offline (volatile); "stopped" must arrive, even right behind a send.
    () =>
      createTypingSignal((isTyping) =>
        live.signal('agent:typing', { conversationId, typing: isTyping }, { volatile: isTyping }),
      ),
    [conversationId, live.signal],
  );
  useEffect(() => () => typingSignal.stop(), [typingSignal]);

  // ── Scrolling: follow new messages at the bottom, otherwise offer a jump. ──
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const forceBottom = useRef(true);
  const seenCount = useRef(0);
  const [newBelow, setNewBelow] = useState(false);

  const scrollToBottom = (smooth = false) => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
    atBottom.current = true;
    setNewBelow(false);
  };

  useEffect(() => {
    forceBottom.current = true;
    seenCount.current = 0;
    setNewBelow(false);
  }, [conversationId]);

  useLayoutEffect(() => {
    const grew = messages.length > seenCount.current;
    if (messages.length > 0 && (forceBottom.current || atBottom.current)) {
      scrollToBottom();
      forceBottom.current = false;
    } else if (grew && messages.length > 0) {
      setNewBelow(true);
    }
    seenCount.current = messages.length;
  }, [messages, typing?.preview, Boolean(typing)]);

  const send = (text: string, internal: boolean) => {
    const clientId = randomId();
    forceBottom.current = true;
    setMessages((list) =>
      addPending(list, { conversationId, clientId, text, internal, agent: { id: me.agent.id, name: me.agent.name } }),
    );
    void deliver(conversationId, clientId, text, internal);
  };

  const retry = (message: ThreadMessage) => {
    setMessages((list) => setPending(list, message.clientId, 'sending'));
    void deliver(conversationId, message.clientId, message.text, message.internal);
  };

  const act = async (kind: 'take' | 'close') => {
    setBusy(kind);
    setActionError(null);
    try {
      if (kind === 'take') await api.takeConversation(conversationId);
      else await api.closeConversation(conversationId);
    } catch (error) {
      setActionError(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const csat = summary?.csat ?? null;
  const timeline = useMemo(
    () => buildTimeline(messages, detail?.events ?? [], csat),
    [messages, detail?.events, csat?.rating, csat?.comment],
  );

  if (loadError && !summary) {
    return (
      <section class="conv conv-empty">
        <EmptyState
          icon={<AlertIcon size={22} />}
          title={loadError.status === 404 ? t('notFound') : t('loadOneFailed')}
          actions={
            <button type="button" class="btn btn-secondary" onClick={onBack}>
              {t('backToInbox')}
            </button>
          }
        >
          {loadError.status === 404 ? t('noAccess') : errorMessage(loadError)}
        </EmptyState>
      </section>
    );
  }

  if (!summary) {
    return (
      <section class="conv conv-empty">
        <Spinner label={t('loadingConversation')} />
      </section>
    );
  }

  const name = visitorLabel(summary.visitor);
  const mine = summary.assignee?.id === me.agent.id;
  const open = summary.status === 'open';
  const assignment = summary.assignee
    ? mine
      ? t('assignedToYou')
      : t('assignedTo', { name: summary.assignee.name })
    : t('unassigned');

  return (
    <>
      <section class="conv" aria-label={t('conversationWith', { name })}>
        <header class="conv-head">
          <button type="button" class="icon-button conv-back" aria-label={t('backToConversations')} onClick={onBack}>
            <ArrowLeftIcon />
          </button>
          <VisitorAvatar visitor={summary.visitor} />
          <div class="conv-who">
            {/* Status beside the name, so the line below (kind, assignee, rating) fits a three-column layout. */}
            <div class="conv-title-row">
              <h2 class="conv-title" title={name}>
                {name}
              </h2>
              <span class={`status-pill status-pill-${summary.status}`}>{open ? t('open') : t('closed')}</span>
            </div>
            <p class="conv-sub">
              {summary.channel === 'offline' && <span class="tag tag-warn">{t('offlineMessage')}</span>}
              <span class="conv-sub-assignee" title={assignment}>
                {assignment}
              </span>
              {summary.csat && <Csat csat={summary.csat} />}
            </p>
            {summary.assignee && summary.routing && (
              <p class="conv-routing" data-testid="conversation-routing">
                {describeRouting(summary.routing)}
              </p>
            )}
          </div>
          <div class="conv-actions">
            {open && !mine && (
              <button
                type="button"
                class="btn btn-primary btn-sm"
                title={summary.assignee ? t('takeOverFrom', { name: summary.assignee.name }) : t('assignToYourself')}
                aria-label={t('take')}
                disabled={busy !== null}
                onClick={() => void act('take')}
              >
                <HandIcon size={15} />
                <span class="btn-label">{busy === 'take' ? t('taking') : t('take')}</span>
              </button>
            )}
            {open && (
              <button
                type="button"
                class="btn btn-secondary btn-sm"
                title={t('transferTitle')}
                aria-label={t('transfer')}
                disabled={busy !== null}
                onClick={() => setTransferOpen(true)}
              >
                <TransferIcon size={15} />
                <span class="btn-label">{t('transfer')}</span>
              </button>
            )}
            {open && (
              <button
                type="button"
                class="btn btn-secondary btn-sm"
                title={t('closeTitle')}
                aria-label={t('closeConversation')}
                disabled={busy !== null}
                onClick={() => void act('close')}
              >
                <CheckCircleIcon size={15} />
                <span class="btn-label">{busy === 'close' ? t('closing') : t('close')}</span>
              </button>
            )}
            <button
              type="button"
              class={`icon-button icon-button-sm visitor-toggle${visitorOpen ? ' active' : ''}`}
              aria-label={visitorOpen ? t('hideVisitor') : t('showVisitor')}
              aria-pressed={visitorOpen}
              title={t('visitorDetails')}
              onClick={onToggleVisitor}
            >
              <PanelRightIcon size={17} />
            </button>
          </div>
        </header>

        {actionError && (
          <div class="conv-alert">
            <Alert>{actionError}</Alert>
          </div>
        )}
        {loadError && (
          <div class="conv-alert">
            <Alert>{t('partialLoad', { error: errorMessage(loadError) })}</Alert>
          </div>
        )}

        <div class="thread-wrap">
          <div
            class="thread"
            ref={scroller}
            onScroll={(event) => {
              const el = event.currentTarget;
              atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
              if (atBottom.current && newBelow) setNewBelow(false);
            }}
            role="log"
            aria-live="polite"
            aria-relevant="additions"
          >
            <div class="thread-inner">
              {!detail && messages.length === 0 ? (
                <Spinner label={t('loadingMessages')} />
              ) : (
                timeline.map((item) => {
                  if (item.type === 'day') {
                    return (
                      <div key={item.key} class="day-sep" role="separator">
                        <span>{dayLabel(item.at, now)}</span>
                      </div>
                    );
                  }
                  if (item.type === 'rating') {
                    return (
                      <p key={item.key} class="timeline-event timeline-rating">
                        <StarIcon size={13} class="star-on" />
                        <span>{ratingText(item.csat)}</span>
                      </p>
                    );
                  }
                  if (item.type === 'event') {
                    return (
                      <p key={item.key} class="timeline-event">
                        <span>{eventText(item.event)}</span>
                        <time dateTime={item.event.at} title={fullTime(item.event.at)}>
                          {clockTime(item.event.at)}
                        </time>
                      </p>
                    );
                  }
                  return (
                    <Bubble
                      key={item.key}
                      message={item.message}
                      groupStart={item.groupStart}
                      groupEnd={item.groupEnd}
                      visitorName={name}
                      meId={me.agent.id}
                      visitorReadSeq={visitorReadSeq}
                      onRetry={retry}
                    />
                  );
                })
              )}
              {typing && open && <TypingBubble typing={typing} name={name} />}
            </div>
          </div>
          {newBelow && (
            <button type="button" class="new-below" onClick={() => scrollToBottom(true)}>
              {t('newMessages')} <ArrowDownIcon size={14} />
            </button>
          )}
        </div>

        {open && <ReplyDeliveryNotice conversationId={conversationId} visitorName={name} />}
        {open ? (
          <Composer
            conversationId={conversationId}
            siteKey={site.key}
            canned={canned}
            onSend={send}
            onTyping={(text) => typingSignal.input(text)}
            onStopTyping={() => typingSignal.stop()}
            takesOnReply={!summary.assignee}
          />
        ) : (
          <div class="closed-bar">
            <CheckCircleIcon size={16} />
            <span>
              {summary.closedAt ? t('closedAt', { time: fullTime(summary.closedAt) }) : t('closedShort')}{' '}
              {summary.csat ? t('visitorRated') : t('visitorCanRate')}
            </span>
          </div>
        )}

        <TransferDialog
          open={transferOpen}
          conversation={summary}
          agents={agents}
          meId={me.agent.id}
          onClose={() => setTransferOpen(false)}
        />
      </section>

      {visitorOpen && (
        <VisitorPanel
          summary={summary}
          visitor={detail?.visitor ?? null}
          siteKey={site.key}
          now={now}
          // What the thread saw live (a message, typing) counts as much as what the server last said.
          seenAt={
            latestOf(
              detail?.visitor.lastSeenAt,
              [...messages].reverse().find((message) => message.author === 'visitor')?.createdAt,
            ) ?? summary.createdAt
          }
          active={Boolean(typing)}
          onClose={onToggleVisitor}
        />
      )}
    </>
  );
}

function Csat({ csat }: { csat: NonNullable<ConversationSummary['csat']> }) {
  return (
    <span class="csat" title={csat.comment ? `“${csat.comment}”` : t('rated', { rating: csat.rating })}>
      <span class="csat-stars" role="img" aria-label={t('rated', { rating: csat.rating })}>
        {[1, 2, 3, 4, 5].map((star) => (
          <StarIcon key={star} size={13} class={star <= csat.rating ? 'star-on' : 'star-off'} />
        ))}
      </span>
      {csat.comment && <span class="csat-comment">“{csat.comment}”</span>}
    </span>
  );
}

function Bubble({
  message,
  groupStart,
  groupEnd,
  visitorName,
  meId,
  visitorReadSeq,
  onRetry,
}: {
  message: ThreadMessage;
  groupStart: boolean;
  groupEnd: boolean;
  visitorName: string;
  meId: string;
  visitorReadSeq: number;
  onRetry(message: ThreadMessage): void;
}) {
  if (message.author === 'system') {
    return (
      <div class="msg-system">
        <span class="msg-system-label">{t('automaticMessage')}</span>
        <p class="msg-system-text">
          <MessageText text={message.text} />
        </p>
      </div>
    );
  }
  const fromVisitor = message.author === 'visitor';
  const own = message.agent?.id === meId;
  const author = fromVisitor ? visitorName : own ? t('you') : (message.agent?.name ?? t('agent'));
  const delivery = fromVisitor ? null : deliveryOf(message, visitorReadSeq);
  const showMeta = groupEnd || message.pending !== undefined;
  const classes = [
    'msg',
    fromVisitor ? 'msg-in' : 'msg-out',
    message.internal ? 'msg-note' : '',
    groupStart ? 'group-start' : '',
    groupEnd ? 'group-end' : '',
    message.pending ? `msg-${message.pending}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div class={classes}>
      <div class="bubble">
        {message.internal && (
          <span class="note-label">
            <NoteIcon size={12} /> {t('noteLabel')}
          </span>
        )}
        <p class="bubble-text">
          <MessageText text={message.text} />
        </p>
      </div>
      {showMeta && (
        <div class="msg-meta">
          <span class="msg-author">{author}</span>
          <span aria-hidden="true">·</span>
          <time dateTime={message.createdAt} title={fullTime(message.createdAt)}>
            {clockTime(message.createdAt)}
          </time>
          {delivery === 'sending' && (
            <span class="delivery delivery-sending">
              <ClockIcon size={12} /> {t('sending')}
            </span>
          )}
          {delivery === 'sent' && !message.internal && (
            <span class="delivery" title={t('sentTitle')}>
              <CheckIcon size={13} /> {t('sent')}
            </span>
          )}
          {delivery === 'read' && (
            <span class="delivery delivery-read" title={t('readTitle')}>
              <CheckCheckIcon size={14} /> {t('read')}
            </span>
          )}
          {delivery === 'failed' && (
            <span class="delivery delivery-failed" title={message.error}>
              <AlertIcon size={12} /> {t('notSent')}
              <button type="button" class="link-button retry" onClick={() => onRetry(message)}>
                <RetryIcon size={12} /> {t('retry')}
              </button>
            </span>
          )}
        </div>
      )}
    </div>
  );
}

/** What the visitor is typing (when the site allows previews), greyed until they send it. */
function TypingBubble({ typing, name }: { typing: TypingState; name: string }) {
  return (
    <div class="msg msg-in msg-typing group-start group-end" aria-live="off">
      <div class="bubble">
        {typing.preview ? (
          <p class="bubble-text">{typing.preview}</p>
        ) : (
          <span class="typing-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
        )}
      </div>
      <div class="msg-meta">
        <span class="msg-author">{name}</span>
        <span aria-hidden="true">·</span>
        <span>{typing.preview ? t('typingNotSent') : t('typing')}</span>
      </div>
    </div>
  );
}
