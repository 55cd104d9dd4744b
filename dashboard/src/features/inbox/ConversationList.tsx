import type { AgentPresence, ConversationStatus } from '@beckon/sdk/protocol';
import type { InboxView } from '../../api';
import { BellIcon, InboxIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { Spinner } from '../../components/PageHeader';
import { initials } from '../../components/Shell';
import { fullTime, shortTime, visitorLabel } from '../../lib/format';
import type { InboxEntry } from './inbox';
import type { InboxStore, TypingState } from './store';
import { VisitorAvatar } from './VisitorAvatar';
import { t } from './i18n';

const views: ReadonlyArray<{ view: InboxView; label: Parameters<typeof t>[0] }> = [
  { view: 'unassigned', label: 'viewUnassigned' },
  { view: 'mine', label: 'viewMine' },
  { view: 'all', label: 'viewAll' },
];

interface ConversationListProps {
  siteKey: string;
  meId: string;
  entries: InboxEntry[];
  counts: Record<InboxView, number>;
  view: InboxView;
  status: ConversationStatus;
  onView(view: InboxView): void;
  onStatus(status: ConversationStatus): void;
  selectedId: string | null;
  typing: InboxStore['typing'];
  loading: boolean;
  error: string | null;
  now: number;
  agents: AgentPresence[];
  notifications: InboxStore['notifications'];
}

export function ConversationList(props: ConversationListProps) {
  const { entries, view, status, counts, loading, error, notifications } = props;
  return (
    <section class="inbox-list" aria-label={t('conversations')}>
      <header class="inbox-list-head">
        <div class="inbox-list-title">
          <h1 class="inbox-title">{t('inbox')}</h1>
          <div class="segmented segmented-sm" role="group" aria-label={t('status')}>
            {(['open', 'closed'] as const).map((value) => (
              <button
                key={value}
                type="button"
                class={`segment${status === value ? ' selected' : ''}`}
                aria-pressed={status === value}
                onClick={() => props.onStatus(value)}
              >
                {value === 'open' ? t('filterOpen') : t('filterClosed')}
              </button>
            ))}
          </div>
        </div>
        <div class="tabs" role="tablist" aria-label={t('views')}>
          {views.map(({ view: value, label }) => (
            <button
              key={value}
              type="button"
              role="tab"
              aria-selected={view === value}
              class={`tab${view === value ? ' selected' : ''}`}
              onClick={() => props.onView(value)}
            >
              {t(label)}
              {status === 'open' && counts[value] > 0 && <span class="tab-count">{counts[value]}</span>}
            </button>
          ))}
        </div>
      </header>

      {!notifications.enabled && notifications.permission !== 'unsupported' && (
        <div class="notify-prompt">
          <BellIcon size={16} />
          <span>{t('notifyPrompt')}</span>
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => void notifications.enable()}>
            {t('enableNotifications')}
          </button>
        </div>
      )}

      <div class="inbox-rows" role="tabpanel">
        {error && <p class="inbox-error">{error}</p>}
        {entries.length === 0 ? (
          loading ? (
            <Spinner label={t('loadingConversations')} />
          ) : (
            <div class="inbox-empty">
              <InboxIcon size={22} />
              <p>{emptyText(view, status)}</p>
            </div>
          )
        ) : (
          <ul class="conv-rows">
            {entries.map((entry) => (
              <ConversationRow
                key={entry.summary.id}
                entry={entry}
                siteKey={props.siteKey}
                selected={entry.summary.id === props.selectedId}
                listStatus={status}
                typing={props.typing[entry.summary.id]}
                now={props.now}
                meId={props.meId}
              />
            ))}
          </ul>
        )}
      </div>

      <WhoIsOnline agents={props.agents} meId={props.meId} />
    </section>
  );
}

function emptyText(view: InboxView, status: ConversationStatus): string {
  if (status === 'closed') return t('emptyClosed');
  if (view === 'unassigned') return t('emptyUnassigned');
  if (view === 'mine') return t('emptyMine');
  return t('emptyAll');
}

function ConversationRow({
  entry,
  siteKey,
  selected,
  listStatus,
  typing,
  now,
  meId,
}: {
  entry: InboxEntry;
  siteKey: string;
  selected: boolean;
  /** The list's status filter; the selected row stays after it changed (closed while open on screen). */
  listStatus: ConversationStatus;
  typing: TypingState | undefined;
  now: number;
  meId: string;
}) {
  const { summary } = entry;
  const name = visitorLabel(summary.visitor);
  // The newest human message beats an automatic reply: it says what the chat is about.
  const last = entry.preview ?? summary.lastMessage;
  const time = last?.createdAt ?? summary.createdAt;
  const unread = summary.unread;
  const prefix =
    last?.author === 'agent' ? `${t('prefixAgent')} ` : last?.author === 'system' ? `${t('prefixAutoReply')} ` : '';
  return (
    <li>
      <Link
        to={`/sites/${encodeURIComponent(siteKey)}/inbox/${summary.id}`}
        class={`conv-row${selected ? ' selected' : ''}${unread > 0 ? ' unread' : ''}`}
        aria-current={selected ? 'true' : undefined}
      >
        <VisitorAvatar visitor={summary.visitor} />
        <span class="conv-main">
          <span class="conv-top">
            <span class="conv-name">{name}</span>
            <time class="conv-time" dateTime={time} title={fullTime(time)}>
              {shortTime(time, now)}
            </time>
          </span>
          <span class="conv-bottom">
            {typing ? (
              <span class="conv-preview conv-typing">
                {typing.preview ? t('typingPreview', { text: typing.preview }) : t('typingShort')}
              </span>
            ) : (
              <span class="conv-preview">
                {last ? (
                  <>
                    {prefix && <span class="conv-prefix">{prefix}</span>}
                    {last.text}
                  </>
                ) : (
                  <span class="conv-prefix">{t('noMessagesYet')}</span>
                )}
              </span>
            )}
            {unread > 0 && (
              <span class="count-pill">
                <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
                <span class="sr-only">{t('unreadCount', { count: unread })}</span>
              </span>
            )}
          </span>
          <span class="conv-tags">
            {summary.status === 'open' && (summary.temperature === 'hot' || summary.temperature === 'warm') && (
              <span class={`tag tag-${summary.temperature}`}>
                {summary.temperature === 'hot' ? t('hot') : t('warm')}
              </span>
            )}
            {summary.status !== listStatus && (
              <span class="tag">{summary.status === 'closed' ? t('closed') : t('open')}</span>
            )}
            {summary.channel === 'offline' && <span class="tag tag-warn">{t('offlineMessage')}</span>}
            {summary.status === 'closed' && summary.csat && (
              <span class="tag" title={summary.csat.comment ?? undefined}>
                ★ {summary.csat.rating}/5
              </span>
            )}
            {summary.assignee ? (
              <span class="conv-assignee" title={t('assignedTo', { name: summary.assignee.name })}>
                <span class={`mini-avatar${summary.assignee.id === meId ? ' me' : ''}`} aria-hidden="true">
                  {initials(summary.assignee.name)}
                </span>
                <span class="conv-assignee-name">
                  {summary.assignee.id === meId ? t('you') : summary.assignee.name}
                </span>
              </span>
            ) : (
              summary.status === 'open' && (
                <span class="conv-assignee unassigned">
                  <span class="conv-assignee-name">{t('unassigned')}</span>
                </span>
              )
            )}
          </span>
        </span>
      </Link>
    </li>
  );
}

const presenceText = { online: 'presenceOnline', away: 'presenceAway', offline: 'presenceOffline' } as const;

/** The site's agents with a live dot; the same list feeds the transfer picker. */
function WhoIsOnline({ agents, meId }: { agents: AgentPresence[]; meId: string }) {
  if (agents.length === 0) return null;
  const online = agents.filter((agent) => agent.status === 'online').length;
  const order = { online: 0, away: 1, offline: 2 } as const;
  const sorted = [...agents].sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name));
  return (
    <footer class="who-online" role="group" aria-label={t('teamPresence')}>
      <span class="who-online-label">{t('onlineOf', { online, count: agents.length })}</span>
      <ul class="who-online-list">
        {sorted.slice(0, 8).map((agent) => (
          <li
            key={agent.agentId}
            title={t(agent.agentId === meId ? 'agentPresenceYou' : 'agentPresence', {
              name: agent.name,
              status: t(presenceText[agent.status]),
            })}
          >
            <span class="mini-avatar" aria-hidden="true">
              {initials(agent.name)}
            </span>
            <span class={`presence-badge presence-badge-${agent.status}`} aria-hidden="true" />
            <span class="sr-only">
              {t('agentPresence', { name: agent.name, status: t(presenceText[agent.status]) })}
            </span>
          </li>
        ))}
      </ul>
    </footer>
  );
}
