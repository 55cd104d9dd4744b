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
  const share = (n: number) => (nps && nps.count ? `${Math.round((n / nps.count) * 100)}%` : '0%');

  return (
    <div class="page page-wide">
      <PageHeader
        title="Feedback"
        description={<>NPS, satisfaction and messages from visitors of <strong>{site.name}</strong>.</>}
        actions={
          <div class="segmented" role="group" aria-label="Period">
            {periods.map((value) => (
              <button type="button" class={`segment${days === value ? ' selected' : ''}`} aria-pressed={days === value} onClick={() => setDays(value)}>
                {value} days
              </button>
            ))}
          </div>
        }
      />
      {error && <Alert tone="error">{error}</Alert>}
      {!report ? (
        !error && <Spinner label="Loading feedback" />
      ) : (
        <>
          <div class="fb-scores">
            <section class="card fb-score" aria-labelledby="fb-nps">
              <h2 id="fb-nps" class="fb-label">
                Net Promoter Score
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
                  <i class="fb-dot fb-split-pro" /> Promoters (9–10) <strong>{nps!.promoters}</strong> · {share(nps!.promoters)}
                </li>
                <li>
                  <i class="fb-dot fb-split-pas" /> Passives (7–8) <strong>{nps!.passives}</strong> · {share(nps!.passives)}
                </li>
                <li>
                  <i class="fb-dot fb-split-det" /> Detractors (0–6) <strong>{nps!.detractors}</strong> · {share(nps!.detractors)}
                </li>
              </ul>
              <p class="fb-note">{nps!.count} answer{nps!.count === 1 ? '' : 's'} · % promoters − % detractors</p>
            </section>
            <section class="card fb-score" aria-labelledby="fb-csat">
              <h2 id="fb-csat" class="fb-label">
                Customer satisfaction
              </h2>
              <p class="fb-big" data-testid="csat-score">
                {csat!.average === null ? '–' : csat!.average.toFixed(1)}
                <small> / 5</small>
              </p>
              <p class="fb-sat">{csat!.satisfiedPercent === null ? 'No ratings yet' : `${csat!.satisfiedPercent}% satisfied (4 or 5)`}</p>
              <p class="fb-note">
                {csat!.count} rating{csat!.count === 1 ? '' : 's'} from the feedback form
              </p>
              <p class="fb-note" data-testid="chat-ratings">
                Chat ratings:{' '}
                {report.chatRatings.count === 0
                  ? 'none yet'
                  : `${report.chatRatings.average!.toFixed(1)} / 5 from ${report.chatRatings.count} chat${report.chatRatings.count === 1 ? '' : 's'} (${report.chatRatings.satisfiedPercent}% satisfied)`}
              </p>
            </section>
            <section class="card fb-chart-card" aria-labelledby="fb-daily">
              <h2 id="fb-daily" class="fb-label">
                Answers per day
              </h2>
              <DailyChart daily={report.daily} />
            </section>
          </div>

          <section class="card card-flush" aria-labelledby="fb-answers">
            <header class="fb-answers-head">
              <h2 id="fb-answers" class="card-title">
                Answers
              </h2>
              <div class="segmented segmented-sm" role="group" aria-label="Kind">
                {(['', 'nps', 'csat', 'message'] as const).map((value) => (
                  <button type="button" class={`segment${kind === value ? ' selected' : ''}`} aria-pressed={kind === value} onClick={() => setKind(value)}>
                    {value ? kindLabels[value] : 'All'}
                  </button>
                ))}
              </div>
            </header>
            {report.answers.length === 0 ? (
              <EmptyState icon={<StarIcon size={22} />} title="No answers in this period">
                Visitors answer from the widget (“Leave feedback”), or your page opens the form with <code>Beckon('open', 'feedback', {'{'} kind: 'nps' {'}'})</code>.
              </EmptyState>
            ) : (
              <ul class="fb-list">
                {report.answers.map((answer) => (
                  <li key={answer.id} class="fb-item" data-testid="feedback-answer">
                    <span class={`fb-chip fb-chip-${answer.kind === 'message' ? 'msg' : npsToneOf(answer.kind, answer.score)}`}>{scoreLabel(answer)}</span>
                    <div class="fb-body">
                      <p class="fb-text">{answer.text ?? <span class="muted">No comment</span>}</p>
                      <p class="fb-meta">
                        <span>{answer.source === 'chat' ? 'Chat rating' : kindLabels[answer.kind]}</span>
                        <span>· {fullTime(answer.createdAt)}</span>
                        {answer.person ? (
                          <span>
                            · <PersonLink siteKey={site.key} person={answer.person} fallback={null} />
                          </span>
                        ) : (
                          answer.email && <span>· {answer.email}</span>
                        )}
                        {answer.pageUrl && <span class="fb-url">· {answer.pageUrl}</span>}
                        {answer.source === 'chat' && (
                          <span>
                            · <Link to={`/sites/${encodeURIComponent(site.key)}/inbox/${answer.id}`}>Conversation</Link>
                          </span>
                        )}
                        {answer.leadId && (
                          <span>
                            · <Link to={`/sites/${encodeURIComponent(site.key)}/leads/${answer.leadId}`}>Lead</Link>
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
