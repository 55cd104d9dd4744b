import { useEffect, useState } from 'preact/hooks';
import type { FeedbackKind, FeedbackReport, Site } from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { StarIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { useLive } from '../../live';
import { fullTime } from '../../lib/format';
import { DailyChart } from './DailyChart';
import { FeedbackSettingsCard } from './FeedbackSettingsCard';
import { kindLabels, npsTone, periods, scoreLabel } from './report';
import { PersonLink } from '../../components/PersonLink';
import { currentLocale, formatNumber } from '../../lib/i18n';
import { t } from './i18n';
import './feedback.css';

/** NPS and CSAT of one site over 7, 30 or 90 days, a daily chart, and every answer. */
export function FeedbackPage({ site }: { site: Site }) {
  const live = useLive();
  const [days, setDays] = useState<(typeof periods)[number]>(30);
  const [kind, setKind] = useState<FeedbackKind | ''>('');
  const [report, setReport] = useState<FeedbackReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api.feedbackReport(site.id, days, kind || undefined).then(
        (next) => {
          if (cancelled) return;
          setReport(next);
          setError(null);
        },
        (caught: unknown) => !cancelled && setError(errorMessage(caught)),
      );
    // Each stored answer is pushed; refetching keeps the scores computed in one place (the server).
    const off = live.on('feedbackNew', (feedback) => feedback.siteId === site.id && void load());
    const offConnect = live.on('connect', () => void load());
    void load();
    return () => {
      cancelled = true;
      off();
      offConnect();
    };
  }, [site.id, days, kind, live.on]);

  const nps = report?.nps;
  const csat = report?.csat;
  const share = (n: number) => formatNumber(nps?.count ? n / nps.count : 0, { style: 'percent' });
  const one = (value: number) => formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const [hintBefore, hintAfter] = t('noAnswersHint', { code: '\u0000' }).split('\u0000');
  const [descriptionBefore, descriptionAfter] = t('description', { site: '\u0000' }).split('\u0000');

  return (
    <div class="page page-wide">
      <PageHeader
        title={t('title')}
        description={
          <>
            {descriptionBefore}
            <strong>{site.name}</strong>
            {descriptionAfter}
          </>
        }
        actions={
          <div class="segmented" role="group" aria-label={t('period')}>
            {periods.map((value) => (
              <button
                type="button"
                class={`segment${days === value ? ' selected' : ''}`}
                aria-pressed={days === value}
                onClick={() => setDays(value)}
              >
                {t('days', { count: value })}
              </button>
            ))}
          </div>
        }
      />
      {error && <Alert tone="error">{error}</Alert>}
      {!report ? (
        !error && <Spinner label={t('loading')} />
      ) : (
        <>
          <div class="fb-scores">
            <section class="card fb-score" aria-labelledby="fb-nps">
              <h2 id="fb-nps" class="fb-label">
                {t('nps')}
              </h2>
              <p class={`fb-big fb-${npsTone(nps!.score)}`} data-testid="nps-score">
                {nps!.score === null ? '–' : nps!.score > 0 ? `+${nps!.score}` : nps!.score}
              </p>
              <div class="fb-split" aria-hidden="true">
                <span class="fb-split-pro" style={{ flexGrow: nps!.promoters }} />
                <span class="fb-split-pas" style={{ flexGrow: nps!.passives }} />
                <span class="fb-split-det" style={{ flexGrow: nps!.detractors }} />
              </div>
              <ul class="fb-legend">
                <li>
                  <i class="fb-dot fb-split-pro" /> {t('promoters')} <strong>{nps!.promoters}</strong> ·{' '}
                  {share(nps!.promoters)}
                </li>
                <li>
                  <i class="fb-dot fb-split-pas" /> {t('passives')} <strong>{nps!.passives}</strong> ·{' '}
                  {share(nps!.passives)}
                </li>
                <li>
                  <i class="fb-dot fb-split-det" /> {t('detractors')} <strong>{nps!.detractors}</strong> ·{' '}
                  {share(nps!.detractors)}
                </li>
              </ul>
              <p class="fb-note">{t('npsNote', { count: nps!.count })}</p>
            </section>
            <section class="card fb-score" aria-labelledby="fb-csat">
              <h2 id="fb-csat" class="fb-label">
                {t('csat')}
              </h2>
              <p class="fb-big" data-testid="csat-score">
                {csat!.average === null ? '–' : one(csat!.average)}
                <small> / 5</small>
              </p>
              <p class="fb-sat">
                {csat!.satisfiedPercent === null ? t('noRatings') : t('satisfied', { percent: csat!.satisfiedPercent })}
              </p>
              <p class="fb-note">{t('csatNote', { count: csat!.count })}</p>
              <p class="fb-note" data-testid="chat-ratings">
                {t('chatRatings')}{' '}
                {report.chatRatings.count === 0
                  ? t('noneYet')
                  : t('chatRatingsValue', {
                      average: one(report.chatRatings.average!),
                      count: report.chatRatings.count,
                      percent: report.chatRatings.satisfiedPercent ?? 0,
                    })}
              </p>
            </section>
            <section class="card fb-chart-card" aria-labelledby="fb-daily">
              <h2 id="fb-daily" class="fb-label">
                {t('perDay')}
              </h2>
              <DailyChart daily={report.daily} />
            </section>
          </div>

          <section class="card card-flush" aria-labelledby="fb-answers">
            <header class="fb-answers-head">
              <h2 id="fb-answers" class="card-title">
                {t('answers')}
              </h2>
              <div class="segmented segmented-sm" role="group" aria-label={t('kind')}>
                {(['', 'nps', 'csat', 'message'] as const).map((value) => (
                  <button
                    type="button"
                    class={`segment${kind === value ? ' selected' : ''}`}
                    aria-pressed={kind === value}
                    onClick={() => setKind(value)}
                  >
                    {value ? t(kindLabels[value]) : t('all')}
                  </button>
                ))}
              </div>
            </header>
            {report.answers.length === 0 ? (
              <EmptyState icon={<StarIcon size={22} />} title={t('noAnswers')}>
                {hintBefore}
                <code>
                  Beckon('open', 'feedback', {'{'} kind: 'nps' {'}'})
                </code>
                {hintAfter}
              </EmptyState>
            ) : (
              <ul class="fb-list">
                {report.answers.map((answer) => (
                  <li key={answer.id} class="fb-item" data-testid="feedback-answer">
                    <span
                      class={`fb-chip fb-chip-${answer.kind === 'message' ? 'msg' : npsToneOf(answer.kind, answer.score)}`}
                    >
                      {scoreLabel(answer)}
                    </span>
                    <div class="fb-body">
                      <p class="fb-text">{answer.text ?? <span class="muted">{t('noComment')}</span>}</p>
                      <p class="fb-meta">
                        <span>{answer.source === 'chat' ? t('chatRating') : t(kindLabels[answer.kind])}</span>
                        <span>{fullTime(answer.createdAt, currentLocale())}</span>
                        {answer.person ? (
                          <span>
                            <PersonLink siteKey={site.key} person={answer.person} fallback={null} />
                          </span>
                        ) : (
                          answer.email && <span>{answer.email}</span>
                        )}
                        {answer.pageUrl && (
                          <span class="fb-url">
                            <span title={answer.pageUrl}>{answer.pageUrl}</span>
                          </span>
                        )}
                        {answer.source === 'chat' && (
                          <span>
                            <Link to={`/sites/${encodeURIComponent(site.key)}/inbox/${answer.id}`}>
                              {t('conversation')}
                            </Link>
                          </span>
                        )}
                        {answer.leadId && (
                          <span>
                            <Link to={`/sites/${encodeURIComponent(site.key)}/leads/${answer.leadId}`}>
                              {t('lead')}
                            </Link>
                          </span>
                        )}
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      <FeedbackSettingsCard key={site.id} site={site} />
    </div>
  );
}

function npsToneOf(kind: FeedbackKind, score: number | null): string {
  if (score === null) return 'msg';
  if (kind === 'csat') return score >= 4 ? 'good' : score === 3 ? 'mid' : 'bad';
  return score >= 9 ? 'good' : score >= 7 ? 'mid' : 'bad';
}
