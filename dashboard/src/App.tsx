import { Fragment } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Me, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from './api';
import { Redirect } from './components/Link';
import { EmptyState, Spinner } from './components/PageHeader';
import { AlertIcon } from './components/Icons';
import { Shell, type Section } from './components/Shell';
import { ShellStatusContext, type ShellStatus } from './components/shell-status';
import { LiveContext, useAgentSocket } from './live';
import { matchRoutes, navigate, useLocation, type Route } from './router';
import { SessionContext, sortSites, upsertById, type Session } from './session';
import { currentLocale, setLocale, useLocale, type DashboardLocale } from './lib/i18n';
import { usePhoneFormat } from './lib/format';
import { t } from './i18n';
import { AcceptInvitePage, LoginPage } from './features/auth';
import { useCallbackAlerts, useWaitingCallbacks } from './features/callbacks';
import { InboxPage, InboxContext, useInboxStore } from './features/inbox';
import { CreateSiteDialog, NoSites, SiteNotFound } from './features/sites';
import { lazyPage } from './components/LazyPage';
// The API reference's face loads its page (and RapiDoc) itself on first visit.
import { ApiReferencePage } from './features/api-reference';

/*
 * Sign-in, the shell and the Inbox are in the first download; every other page is fetched the first time it is
 * shown: one line each, through the feature's page entry (features/X/page.ts), never its face.
 */
const ApiKeysPage = lazyPage(
  () => import('./features/api-keys/page').then((m) => m.ApiKeysPage),
  () => t('titleApiKeys'),
  'wide',
);
const AppearancePage = lazyPage(
  () => import('./features/appearance/page').then((m) => m.AppearancePage),
  () => t('titleAppearance'),
);
const AudiencesPage = lazyPage(
  () => import('./features/audiences/page').then((m) => m.AudiencesPage),
  () => t('titleAudiences'),
);
const CallbacksPage = lazyPage(
  () => import('./features/callbacks/page').then((m) => m.CallbacksPage),
  () => t('titleCallbacks'),
  'wide',
);
const ChatSettingsPage = lazyPage(
  () => import('./features/chat/page').then((m) => m.ChatSettingsPage),
  () => t('titleChat'),
);
const FeedbackPage = lazyPage(
  () => import('./features/feedback/page').then((m) => m.FeedbackPage),
  () => t('titleFeedback'),
  'wide',
);
const InstallPage = lazyPage(
  () => import('./features/install/page').then((m) => m.InstallPage),
  () => t('titleInstall'),
);
const LeadPage = lazyPage(
  () => import('./features/leads/page').then((m) => m.LeadPage),
  () => t('titleLeads'),
  'wide',
);
const LeadsPage = lazyPage(
  () => import('./features/leads/page').then((m) => m.LeadsPage),
  () => t('titleLeads'),
  'wide',
);
const PersonPage = lazyPage(
  () => import('./features/persons/page').then((m) => m.PersonPage),
  () => t('titlePerson'),
  'wide',
);
const PrivacyPage = lazyPage(
  () => import('./features/privacy/page').then((m) => m.PrivacyPage),
  () => t('titlePrivacy'),
);
const ReportsPage = lazyPage(
  () => import('./features/reports/page').then((m) => m.ReportsPage),
  () => t('titleReports'),
  'wide',
);
const RoutingPage = lazyPage(
  () => import('./features/routing/page').then((m) => m.RoutingPage),
  () => t('titleRouting'),
);
const ScoringPage = lazyPage(
  () => import('./features/scoring/page').then((m) => m.ScoringPage),
  () => t('titleScoring'),
);
const TeamPage = lazyPage(
  () => import('./features/team/page').then((m) => m.TeamPage),
  () => t('titleTeam'),
);
const TriggersPage = lazyPage(
  () => import('./features/triggers/page').then((m) => m.TriggersPage),
  () => t('titleTriggers'),
);
const VisitorsPage = lazyPage(
  () => import('./features/live/page').then((m) => m.VisitorsPage),
  () => t('titleVisitors'),
  'wide',
);
const WebhooksPage = lazyPage(
  () => import('./features/webhooks/page').then((m) => m.WebhooksPage),
  () => t('titleWebhooks'),
  'wide',
);

type RouteName = 'accept' | 'login' | 'home' | 'site' | Section | 'team' | 'live' | 'person';

const routes: ReadonlyArray<Route<RouteName>> = [
  { path: '/accept-invite', value: 'accept' },
  { path: '/login', value: 'login' },
  { path: '/', value: 'home' },
  { path: '/team', value: 'team' },
  { path: '/sites/:key', value: 'site' },
  { path: '/sites/:key/inbox', value: 'inbox' },
  { path: '/sites/:key/inbox/:conversationId', value: 'inbox' },
  { path: '/sites/:key/chat', value: 'chat' },
  // The Live page became Visitors; old links keep working.
  { path: '/sites/:key/live', value: 'live' },
  { path: '/sites/:key/visitors', value: 'visitors' },
  { path: '/sites/:key/scoring', value: 'scoring' },
  { path: '/sites/:key/routing', value: 'routing' },
  { path: '/sites/:key/leads', value: 'leads' },
  { path: '/sites/:key/leads/:leadId', value: 'leads' },
  { path: '/sites/:key/people/:personId', value: 'person' },
  { path: '/sites/:key/callbacks', value: 'callbacks' },
  { path: '/sites/:key/feedback', value: 'feedback' },
  { path: '/sites/:key/reports', value: 'reports' },
  { path: '/sites/:key/reports/:report', value: 'reports' },
  { path: '/sites/:key/webhooks', value: 'webhooks' },
  { path: '/sites/:key/api-keys', value: 'api-keys' },
  { path: '/sites/:key/api-reference', value: 'api-reference' },
  { path: '/sites/:key/audiences', value: 'audiences' },
  { path: '/sites/:key/triggers', value: 'triggers' },
  { path: '/sites/:key/privacy', value: 'privacy' },
  { path: '/sites/:key/install', value: 'install' },
  { path: '/sites/:key/appearance', value: 'appearance' },
];

const sectionTitles = {
  inbox: 'titleInbox',
  chat: 'titleChat',
  visitors: 'titleVisitors',
  scoring: 'titleScoring',
  routing: 'titleRouting',
  leads: 'titleLeads',
  callbacks: 'titleCallbacks',
  feedback: 'titleFeedback',
  reports: 'titleReports',
  webhooks: 'titleWebhooks',
  'api-keys': 'titleApiKeys',
  'api-reference': 'titleApiReference',
  audiences: 'titleAudiences',
  triggers: 'titleTriggers',
  privacy: 'titlePrivacy',
  install: 'titleInstall',
  appearance: 'titleAppearance',
} as const satisfies Record<Section, string>;

/**
 * Speaks the signed-in agent's saved language (null: they never chose one, the browser's or this
 * browser's last choice stays). Resolves once the language's catalogues have arrived, so the first
 * signed-in paint is already in it.
 */
const speakAgentLanguage = (me: Me): Promise<void> =>
  me.language && me.language !== currentLocale() ? setLocale(me.language).catch(() => undefined) : Promise.resolve();

const LAST_SITE_KEY = 'beckon.lastSite';

const rememberSite = (key: string) => {
  try {
    localStorage.setItem(LAST_SITE_KEY, key);
  } catch {
    // Storage may be disabled; the first site is a fine default.
  }
};

const lastSite = (): string | null => {
  try {
    return localStorage.getItem(LAST_SITE_KEY);
  } catch {
    return null;
  }
};

type Auth =
  | { state: 'loading' }
  | { state: 'anonymous' }
  | { state: 'offline'; message: string }
  | { state: 'signed-in'; me: Me; sites: Site[] };

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });
  // Re-renders the whole app on a language change (the pages' texts are read at render time).
  const locale = useLocale();
  const location = useLocation();
  const matched = matchRoutes(routes, location.path ?? '/');

  const checkSession = useCallback(() => {
    api.me().then(
      (me) => void speakAgentLanguage(me).then(() => setAuth({ state: 'signed-in', me, sites: sortSites(me.sites) })),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setAuth({ state: 'anonymous' });
        else setAuth({ state: 'offline', message: errorMessage(error) });
      },
    );
  }, []);

  useEffect(() => {
    // Any 401 from a session call means the session expired or was revoked: back to the login form.
    api.setOnUnauthorized(() => setAuth({ state: 'anonymous' }));
    if (matched?.value === 'accept') setAuth({ state: 'anonymous' });
    else checkSession();
    return () => api.setOnUnauthorized(undefined);
    // Only once at start: later navigation must not re-check the session.
  }, []);

  const signedIn = (me: Me) =>
    void speakAgentLanguage(me).then(() => setAuth({ state: 'signed-in', me, sites: sortSites(me.sites) }));
  const authRef = useRef(auth);
  authRef.current = auth;
  /** The language menu: signed in, the choice is saved on the agent (it follows them to every browser). */
  const chooseLanguage = useCallback(async (next: DashboardLocale) => {
    await setLocale(next);
    const current = authRef.current;
    if (current.state !== 'signed-in') return;
    try {
      const me = await api.updateMe({ language: next });
      setAuth((state) =>
        state.state === 'signed-in' ? { ...state, me: { ...state.me, language: me.language } } : state,
      );
    } catch {
      // Not saved (offline, session ended): this browser still remembers it; the next choice saves again.
    }
  }, []);

  const setSites = useCallback(
    (update: (sites: Site[]) => Site[]) =>
      setAuth((current) =>
        current.state === 'signed-in' ? { ...current, sites: sortSites(update(current.sites)) } : current,
      ),
    [],
  );
  const signedOut = useCallback(() => setAuth({ state: 'anonymous' }), []);

  if (matched?.value === 'accept') {
    return (
      <AcceptInvitePage
        token={location.search.get('token') ?? ''}
        onAccepted={(me) => {
          signedIn(me);
          navigate('/', { replace: true });
        }}
      />
    );
  }

  if (auth.state === 'loading') {
    return (
      <div class="boot">
        <Spinner label={t('loading')} />
      </div>
    );
  }

  if (auth.state === 'offline') {
    return (
      <div class="boot">
        <EmptyState
          icon={<AlertIcon size={22} />}
          title={t('unreachable')}
          actions={
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => {
                setAuth({ state: 'loading' });
                checkSession();
              }}
            >
              {t('tryAgain')}
            </button>
          }
        >
          {auth.message}
        </EmptyState>
      </div>
    );
  }

  if (auth.state === 'anonymous') {
    return (
      <LoginPage
        locale={locale}
        onLanguage={(next) => void chooseLanguage(next)}
        onSignedIn={(me) => {
          signedIn(me);
          if (matched?.value === 'login') navigate('/', { replace: true });
        }}
      />
    );
  }

  return (
    <SignedIn
      me={auth.me}
      sites={auth.sites}
      setSites={setSites}
      onSignedOut={signedOut}
      onLanguage={chooseLanguage}
      locale={locale}
      route={matched}
    />
  );
}

interface SignedInProps {
  me: Me;
  sites: Site[];
  setSites: (update: (sites: Site[]) => Site[]) => void;
  onSignedOut: () => void;
  onLanguage: (locale: DashboardLocale) => Promise<void>;
  locale: DashboardLocale;
  route: { value: RouteName; params: Record<string, string> } | null;
}

function SignedIn({ me, sites, setSites, onSignedOut, onLanguage, locale, route }: SignedInProps) {
  const [creating, setCreating] = useState(false);
  const live = useAgentSocket(true);
  const inbox = useInboxStore(live, me.agent.id, sites);
  useCallbackAlerts(live, sites);
  // Phone numbers show as E.164 until the formatter's chunk arrived, then every page re-renders with them grouped.
  usePhoneFormat();
  const isAdmin = me.agent.role === 'admin';

  const upsertSite = useCallback((site: Site) => setSites((list) => upsertById(list, site)), [setSites]);
  const refreshSite = useCallback(
    async (siteId: string) => {
      try {
        upsertSite(await api.getSite(siteId));
      } catch (error) {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
          setSites((list) => list.filter((s) => s.id !== siteId));
        }
      }
    },
    [setSites, upsertSite],
  );
  const connectedBefore = useRef(false);

  const session = useMemo<Session>(
    () => ({
      me,
      sites,
      isAdmin,
      upsertSite,
      refreshSite,
      openCreateSite: () => setCreating(true),
      locale,
      setLanguage: onLanguage,
      logout: async () => {
        try {
          await api.logout();
        } finally {
          onSignedOut();
          navigate('/', { replace: true });
        }
      },
    }),
    [me, sites, isAdmin, upsertSite, refreshSite, onSignedOut, locale, onLanguage],
  );

  // Another admin changed a site (or gave us a new one): refetch it. On reconnect, refetch the list
  // so changes made while we were offline show up.
  useEffect(() => {
    const offSite = live.on('siteUpdated', ({ id }) => void refreshSite(id));
    const offConnect = live.on('connect', () => {
      if (!connectedBefore.current) {
        connectedBefore.current = true;
        return;
      }
      api.listSites().then(
        (list) => setSites(() => list),
        () => {},
      );
    });
    return () => {
      offSite();
      offConnect();
    };
  }, [live.on, refreshSite, setSites]);

  const key = route?.params.key;
  const site = key ? sites.find((s) => s.key === key) : undefined;
  const section: Section | null =
    route &&
    (
      [
        'inbox',
        'chat',
        'visitors',
        'leads',
        'callbacks',
        'feedback',
        'reports',
        'scoring',
        'routing',
        'triggers',
        'audiences',
        'privacy',
        'install',
        'appearance',
        'webhooks',
        'api-keys',
        'api-reference',
      ] as const
    ).includes(route.value as Section)
      ? (route.value as Section)
      : null;

  useEffect(() => {
    if (site) rememberSite(site.key);
  }, [site?.key]);

  // The unread count (all sites) leads the title, so a background tab shows it too.
  const unreadAll = inbox.unread();
  useEffect(() => {
    const page =
      route?.value === 'team'
        ? t('titleTeam')
        : route?.value === 'person'
          ? t('titlePerson')
          : section
            ? t(sectionTitles[section])
            : null;
    const title = [page, site?.name, 'Beckon'].filter(Boolean).join(' · ');
    document.title = unreadAll > 0 ? `(${unreadAll}) ${title}` : title;
  }, [route?.value, section, site?.name, unreadAll, locale]);

  const defaultSite = sites.find((s) => s.key === lastSite()) ?? sites[0];
  const shellSite = site ?? (route?.value === 'team' ? defaultSite : undefined);
  // What the shell shows about the inbox and callbacks: filled here, so the shared shell imports no feature.
  const waitingCallbacks = useWaitingCallbacks(shellSite?.id);
  const shellStatus = useMemo<ShellStatus>(
    () => ({ unread: (siteId) => inbox.unread(siteId), waitingCallbacks, notifications: inbox.notifications }),
    [inbox, waitingCallbacks],
  );

  let content: preact.ComponentChildren;
  if (!route) {
    content = <SiteNotFound what="page" />;
  } else if (route.value === 'home' || route.value === 'login') {
    content = defaultSite ? <Redirect to={`/sites/${encodeURIComponent(defaultSite.key)}/inbox`} /> : <NoSites />;
  } else if (route.value === 'team') {
    content = isAdmin ? <TeamPage /> : <SiteNotFound what="page" />;
  } else if (!site) {
    content = <SiteNotFound what="site" />;
  } else if (route.value === 'site') {
    content = <Redirect to={`/sites/${encodeURIComponent(site.key)}/inbox`} />;
  } else if (route.value === 'inbox') {
    content = <InboxPage key={site.id} site={site} conversationId={route.params.conversationId ?? null} />;
  } else if (route.value === 'chat') {
    content = <ChatSettingsPage site={site} />;
  } else if (route.value === 'live') {
    content = <Redirect to={`/sites/${encodeURIComponent(site.key)}/visitors`} />;
  } else if (route.value === 'visitors') {
    content = <VisitorsPage site={site} />;
  } else if (route.value === 'scoring') {
    content = <ScoringPage site={site} />;
  } else if (route.value === 'routing') {
    content = <RoutingPage key={site.id} site={site} />;
  } else if (route.value === 'leads') {
    content = route.params.leadId ? (
      <LeadPage key={route.params.leadId} site={site} leadId={route.params.leadId} />
    ) : (
      <LeadsPage key={site.id} site={site} />
    );
  } else if (route.value === 'person') {
    content = <PersonPage key={route.params.personId} site={site} personId={route.params.personId ?? ''} />;
  } else if (route.value === 'callbacks') {
    content = <CallbacksPage key={site.id} site={site} />;
  } else if (route.value === 'feedback') {
    content = <FeedbackPage key={site.id} site={site} />;
  } else if (route.value === 'reports') {
    content = <ReportsPage site={site} report={route.params.report ?? null} />;
  } else if (route.value === 'webhooks') {
    content = isAdmin ? <WebhooksPage site={site} /> : <SiteNotFound what="page" />;
  } else if (route.value === 'api-keys') {
    content = isAdmin ? <ApiKeysPage site={site} sites={sites} /> : <SiteNotFound what="page" />;
  } else if (route.value === 'api-reference') {
    content = isAdmin ? <ApiReferencePage site={site} /> : <SiteNotFound what="page" />;
  } else if (route.value === 'triggers') {
    content = isAdmin ? <TriggersPage site={site} /> : <SiteNotFound what="page" />;
  } else if (route.value === 'audiences') {
    content = <AudiencesPage site={site} />;
  } else if (route.value === 'privacy') {
    content = <PrivacyPage site={site} />;
  } else if (route.value === 'install') {
    content = <InstallPage site={site} />;
  } else if (route.value === 'appearance') {
    content = <AppearancePage site={site} />;
  }

  return (
    <SessionContext.Provider value={session}>
      <LiveContext.Provider value={live}>
        <InboxContext.Provider value={inbox}>
          <ShellStatusContext.Provider value={shellStatus}>
            <Shell
              site={shellSite}
              section={section}
              teamActive={route?.value === 'team'}
              flush={route?.value === 'inbox' && Boolean(site)}
            >
              {/* A new language remounts the page: nothing keeps a text computed in the old one. */}
              <Fragment key={locale}>{content}</Fragment>
            </Shell>
            {isAdmin && (
              <CreateSiteDialog
                open={creating}
                onClose={() => setCreating(false)}
                onCreated={(created) => {
                  setCreating(false);
                  session.upsertSite(created);
                  navigate(`/sites/${encodeURIComponent(created.key)}/install`);
                }}
              />
            )}
          </ShellStatusContext.Provider>
        </InboxContext.Provider>
      </LiveContext.Provider>
    </SessionContext.Provider>
  );
}
