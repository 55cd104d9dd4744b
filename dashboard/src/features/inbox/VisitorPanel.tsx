import { Fragment } from 'preact';
import type { ConversationSummary } from '@beckon/sdk/protocol';
import type { VisitorContext } from '../../api';
import { ClockIcon, GlobeIcon, LinkIcon, MessageIcon, XIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { Spinner } from '../../components/PageHeader';
import { pageHost, pagePath, referrerLabel } from '../live';
import { age, emailBreakParts, fullTime, seenLabel, shortTime, shownPhone, visitorLabel } from '../../lib/format';
import { ExternalUrl } from './MessageText';
import { personPath } from '../../lib/paths';
import { VisitorAvatar } from './VisitorAvatar';
import { formatDate } from '../../lib/i18n';
import { t } from './i18n';

/** Only plain addresses become `mailto:` links (no `?subject=` or other tricks from visitor input). */
const emailPattern = /^[^\s@<>"'()?&#%/:\\]+@[^\s@<>"'()?&#%/:\\]+\.[^\s@<>"'()?&#%/:\\]+$/;

/** An address that wraps after its "@" and before its dots rather than mid-word: text nodes with <wbr> between. */
function BreakableEmail({ email }: { email: string }) {
  return (
    <>
      {emailBreakParts(email).map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}

/** Who the visitor is, where they are now, how they arrived, and what they asked before. */
export function VisitorPanel({
  summary,
  visitor,
  siteKey,
  now,
  seenAt,
  active,
  onClose,
}: {
  summary: ConversationSummary;
  visitor: VisitorContext | null;
  siteKey: string;
  now: number;
  /** The latest the visitor was seen doing anything (a page, the keepalive, a message), as the thread knows it. */
  seenAt: string;
  /** The visitor is typing right now. */
  active: boolean;
  onClose(): void;
}) {
  const name = visitorLabel(summary.visitor);
  const email = visitor?.email ?? summary.visitor.email;
  const phone = visitor?.phone ?? summary.visitor.phone;
  const currentUrl = visitor?.currentUrl ?? summary.visitor.currentUrl;
  const pages = visitor ? [...visitor.pages].reverse() : [];
  const utm = visitor ? Object.entries(visitor.utm) : [];

  return (
    <aside class="visitor-pane" aria-label={t('visitorDetails')}>
      <header class="visitor-head">
        <VisitorAvatar visitor={summary.visitor} size="lg" />
        <div class="visitor-id">
          <h2 class="visitor-name">
            {summary.visitor.personId ? (
              <Link class="person-link" to={personPath(siteKey, summary.visitor.personId)} title={t('openPerson')}>
                {name}
              </Link>
            ) : (
              name
            )}
          </h2>
          {summary.visitor.personId && (
            <Link class="visitor-contact" to={personPath(siteKey, summary.visitor.personId)}>
              {t('personPage')}
            </Link>
          )}
          {email && emailPattern.test(email) ? (
            <a class="visitor-contact" href={`mailto:${email}`}>
              <BreakableEmail email={email} />
            </a>
          ) : (
            email && (
              <span class="visitor-contact">
                <BreakableEmail email={email} />
              </span>
            )
          )}
          {phone && <span class="visitor-contact">{shownPhone(phone)}</span>}
        </div>
        <button
          type="button"
          class="icon-button icon-button-sm visitor-close"
          aria-label={t('hideVisitor')}
          onClick={onClose}
        >
          <XIcon size={16} />
        </button>
      </header>

      {!visitor ? (
        <Spinner label={t('loadingVisitor')} />
      ) : (
        <div class="visitor-sections">
          <section class="visitor-section">
            <h3 class="visitor-section-title">
              <GlobeIcon size={14} /> {t('currentPage')}
            </h3>
            {currentUrl ? (
              <div class="visitor-now">
                <ExternalUrl url={currentUrl} label={pagePath(currentUrl)} class="visitor-url" />
                <span class="visitor-host">{pageHost(currentUrl)}</span>
              </div>
            ) : (
              <p class="muted small">{t('unknown')}</p>
            )}
          </section>

          <section class="visitor-section">
            <h3 class="visitor-section-title">
              <ClockIcon size={14} /> {t('visitor')}
            </h3>
            {/* No visit count: the tracker's session id changes on every reload (it lives in memory until
                consent storage exists), so counting them would count page loads and call them visits. */}
            <dl class="facts">
              <div>
                <dt>{t('firstSeen')}</dt>
                <dd title={fullTime(visitor.firstSeenAt)}>{age(visitor.firstSeenAt, now)}</dd>
              </div>
              <div>
                <dt>{t('lastSeen')}</dt>
                <dd title={fullTime(seenAt)}>{seenLabel(seenAt, now, active)}</dd>
              </div>
              <div>
                <dt>{t('referrer')}</dt>
                <dd>
                  {visitor.referrer ? (
                    <ExternalUrl
                      url={visitor.referrer}
                      label={referrerLabel(visitor.referrer, currentUrl ?? '').label}
                    />
                  ) : (
                    t('direct')
                  )}
                </dd>
              </div>
              {utm.map(([key, value]) => (
                <div key={key}>
                  <dt class="mono">{key}</dt>
                  <dd class="utm-value" title={value}>
                    {value}
                  </dd>
                </div>
              ))}
            </dl>
          </section>

          <section class="visitor-section">
            <h3 class="visitor-section-title">
              <LinkIcon size={14} /> {t('pagesVisited')}
              {pages.length > 0 && <span class="section-count">{pages.length}</span>}
            </h3>
            {pages.length === 0 ? (
              <p class="muted small">{t('noPageviews')}</p>
            ) : (
              <ol class="page-trail">
                {pages.map((page, index) => (
                  <li key={`${page.at}-${index}`}>
                    <ExternalUrl url={page.url} label={page.title || pagePath(page.url)} class="trail-title" />
                    <span class="trail-meta">
                      <span class="trail-path">{pagePath(page.url)}</span>
                      <time dateTime={page.at} title={fullTime(page.at)}>
                        {shortTime(page.at, now)}
                      </time>
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section class="visitor-section">
            <h3 class="visitor-section-title">
              <MessageIcon size={14} /> {t('earlierConversations')}
              {visitor.earlierConversations.length > 0 && (
                <span class="section-count">{visitor.earlierConversations.length}</span>
              )}
            </h3>
            {visitor.earlierConversations.length === 0 ? (
              <p class="muted small">{t('firstConversation')}</p>
            ) : (
              <ul class="earlier">
                {visitor.earlierConversations.map((conversation) => (
                  <li key={conversation.id}>
                    <Link class="earlier-link" to={`/sites/${encodeURIComponent(siteKey)}/inbox/${conversation.id}`}>
                      <span class="earlier-top">
                        <span>
                          {formatDate(conversation.createdAt, { day: 'numeric', month: 'short', year: 'numeric' })}
                        </span>
                        {conversation.channel === 'offline' && <span class="tag tag-warn">{t('offline')}</span>}
                        {conversation.csat && <span class="tag">★ {conversation.csat.rating}/5</span>}
                        <span class={`tag${conversation.status === 'open' ? ' tag-accent' : ''}`}>
                          {conversation.status === 'open' ? t('open') : t('closed')}
                        </span>
                      </span>
                      <span class="earlier-text">{conversation.lastMessage?.text ?? t('noMessages')}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </aside>
  );
}
