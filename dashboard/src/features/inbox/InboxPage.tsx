import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AgentPresence, ConversationStatus, Site } from '@beckon/sdk/protocol';
import { api, errorMessage, type CannedResponse, type InboxView } from '../../api';
import { InboxIcon } from '../../components/Icons';
import { EmptyState } from '../../components/PageHeader';
import { useLive } from '../../live';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { useMedia, useNow } from '../../lib/hooks';
import { listFor, pinSelection, viewCounts, type Pin } from './inbox';
import { useInbox } from './store';
import { t } from './i18n';

const VIEW_KEY = 'beckon.inboxView';
const VISITOR_KEY = 'beckon.visitorPanel';

const readView = (): InboxView => {
  try {
    const value = localStorage.getItem(VIEW_KEY);
    return value === 'unassigned' || value === 'mine' || value === 'all' ? value : 'all';
  } catch {
    return 'all';
  }
};

const remember = (key: string, value: string) => {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled: fine for this page.
  }
};

/**
 * The agent's inbox for one site: conversation list (Unassigned / Mine / All, open or closed), the
 * open conversation, and the visitor's details. Three columns on wide screens; on narrower ones the
 * visitor details slide over, and on phones one pane shows at a time (list → conversation → visitor).
 */
export function InboxPage({ site, conversationId }: { site: Site; conversationId: string | null }) {
  const { me } = useSession();
  const live = useLive();
  const store = useInbox();
  const now = useNow(30_000);
  const wide = useMedia('(min-width: 1240px)');
  const [view, setView] = useState<InboxView>(readView);
  const [status, setStatus] = useState<ConversationStatus>('open');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [agents, setAgents] = useState<AgentPresence[]>([]);
  const [visitorWide, setVisitorWide] = useState(() => {
    try {
      return localStorage.getItem(VISITOR_KEY) !== 'hidden';
    } catch {
      return true;
    }
  });
  const [visitorNarrow, setVisitorNarrow] = useState(false);

  const filter = useMemo(() => ({ siteId: site.id, view, status }), [site.id, view, status]);

  // The list for the chosen view, merged into the shared inbox; again after every reconnect.
  useEffect(() => {
    let cancelled = false;
    const load = () => {
      setLoading(true);
      store.load(filter).then(
        () => {
          if (cancelled) return;
          setError(null);
          setLoading(false);
        },
        (caught: unknown) => {
          if (cancelled) return;
          setError(t('loadFailed', { error: errorMessage(caught) }));
          setLoading(false);
        },
      );
    };
    load();
    const off = live.on('connect', load);
    return () => {
      cancelled = true;
      off();
    };
  }, [filter, store.load, live.on]);

  // Canned responses for the composer; team presence for the transfer picker and "who's online".
  useEffect(() => {
    let cancelled = false;
    const loadPresence = () =>
      api.sitePresence(site.id).then(
        (list) => !cancelled && setAgents(list),
        () => {},
      );
    // Reloaded when someone edits them in Chat settings (and after a reconnect), so an open inbox is never stale.
    const loadCanned = () =>
      api.listCannedResponses(site.id).then(
        (list) => !cancelled && setCanned(list),
        () => {},
      );
    void loadCanned();
    void loadPresence();
    const offs = [
      live.on('presenceUpdated', (presence) => {
        setAgents((list) => {
          const index = list.findIndex((agent) => agent.agentId === presence.agentId);
          if (index === -1) {
            // Someone new on the site: the full list knows their place.
            void loadPresence();
            return list;
          }
          const next = [...list];
          next[index] = { ...next[index]!, status: presence.status, name: presence.name };
          return next;
        });
      }),
      live.on('cannedUpdated', ({ siteId }) => siteId === site.id && void loadCanned()),
      live.on('connect', () => {
        void loadPresence();
        void loadCanned();
      }),
    ];
    return () => {
      cancelled = true;
      for (const off of offs) off();
    };
  }, [site.id, live.on]);

  useEffect(() => setVisitorNarrow(false), [conversationId]);

  // The open conversation keeps its row in the list it was picked from until the agent moves on.
  const pin = useRef<Pin | null>(null);
  pin.current = pinSelection(pin.current, store.inbox, filter, me.agent.id, conversationId);
  const entries = listFor(store.inbox, filter, me.agent.id, pin.current?.id);
  const counts = viewCounts(store.inbox, site.id, me.agent.id);
  const visitorOpen = wide ? visitorWide : visitorNarrow;
  const base = `/sites/${encodeURIComponent(site.key)}/inbox`;

  const toggleVisitor = () => {
    if (wide) {
      setVisitorWide(!visitorWide);
      remember(VISITOR_KEY, visitorWide ? 'hidden' : 'shown');
    } else {
      setVisitorNarrow(!visitorNarrow);
    }
  };

  return (
    <div class={`inbox${conversationId ? ' has-conversation' : ''}${visitorOpen ? ' visitor-open' : ''}`}>
      <ConversationList
        siteKey={site.key}
        meId={me.agent.id}
        entries={entries}
        counts={counts}
        view={view}
        status={status}
        onView={(next) => {
          setView(next);
          remember(VIEW_KEY, next);
        }}
        onStatus={setStatus}
        selectedId={conversationId}
        typing={store.typing}
        loading={loading || !store.ready}
        error={error}
        now={now}
        agents={agents}
        notifications={store.notifications}
      />
      {conversationId ? (
        <ConversationView
          key={conversationId}
          conversationId={conversationId}
          site={site}
          canned={canned}
          agents={agents}
          visitorOpen={visitorOpen}
          onToggleVisitor={toggleVisitor}
          onBack={() => navigate(base)}
        />
      ) : (
        <section class="conv conv-empty">
          <EmptyState icon={<InboxIcon size={22} />} title={entries.length ? t('pickConversation') : t('allQuiet')}>
            {entries.length ? t('pickConversationText') : t('allQuietText')}
          </EmptyState>
        </section>
      )}
    </div>
  );
}
