import { useEffect, useState } from 'preact/hooks';
import type { LearnResult, LearnedRule, RuleCondition, ScoringJob, ScoringRule, ScoringSettings, Site } from '@beckon/sdk/protocol';
import { engagementMetrics, minOutcomesToLearn, sourceFields } from '@beckon/sdk/protocol/constants';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { PlusIcon, TrashIcon, ZapIcon } from '../../components/Icons';
import { PageHeader, Spinner } from '../../components/PageHeader';
import { useSession } from '../../session';
import { useLive } from '../../live';
import { sameJson, useSettingsDraft } from '../sites';
import {
  conditionDefaults,
  conditionKinds,
  describeCondition,
  identifiedLabels,
  metricLabels,
  newRuleId,
  signalLabels,
  sourceFieldLabels,
  validateScoring,
  type ConditionKind,
} from './rules';

const toInt = (text: string) => (text.trim() === '' ? NaN : Number(text));

/** Per-site scoring: rules (condition → points), decay half-life, thresholds, and learning from outcomes. */
export function ScoringPage({ site }: { site: Site }) {
  const { isAdmin } = useSession();
  const [defaults, setDefaults] = useState<ScoringSettings | null>(null);
  const [job, setJob] = useRescoreJob(site.id);
  const settings = useSettingsDraft({
    key: site.id,
    load: () => api.getScoring(site.id),
    draftOf: (result) => result.settings,
    onLoad: (result) => {
      setDefaults(result.defaults);
      setJob(result.job);
    },
    validate: validateScoring,
    save: async (draft) => {
      const saved = await api.saveScoring(site.id, draft);
      setJob(saved.job);
      return saved.settings;
    },
    savedNotice: 'Saved. Visitors are being rescored with these rules in the background.',
  });
  const { draft, saved, dirty, errors, error, notice, busy, edit } = settings;

  if (!draft || !saved) {
    return (
      <div class="page">
        <PageHeader title="Scoring" />
        {error ? <Alert>{error}</Alert> : <Spinner label="Loading scoring rules" />}
      </div>
    );
  }

  const editRule = (index: number, patch: Partial<ScoringRule>) => edit({ rules: draft.rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)) });

  return (
    <div class="page">
      <PageHeader
        title="Scoring"
        description={<>How visitors of <strong>{site.name}</strong> become hot, warm or cold leads. Every score shows which rules made it.</>}
      />
      {!isAdmin && <Alert tone="info">Only admins can change scoring. You can read the rules here.</Alert>}
      {error && <Alert>{error}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      <RescoreProgress job={job} />

      <form class="stack-lg" onSubmit={settings.save} noValidate>
        <fieldset class="card" disabled={!isAdmin}>
          <legend class="card-title card-legend">Temperature</legend>
          <p class="card-description">
            A visitor is <span class="temp-word temp-word-hot">hot</span> at or above the hot threshold, <span class="temp-word temp-word-warm">warm</span> at or
            above the warm one, else <span class="temp-word temp-word-cold">cold</span>. Points fade: after one half-life a rule counts half.
          </p>
          <div class="form-grid-3">
            <NumberField id="scoring-hot" label="Hot at" suffix="points" value={draft.hot} error={errors.hot} onChange={(hot) => edit({ hot })} />
            <NumberField id="scoring-warm" label="Warm at" suffix="points" value={draft.warm} error={errors.warm} onChange={(warm) => edit({ warm })} />
            <NumberField
              id="scoring-half-life"
              label="Half-life"
              suffix="days"
              step="0.5"
              value={draft.halfLifeDays}
              error={errors.halfLifeDays}
              onChange={(halfLifeDays) => edit({ halfLifeDays })}
            />
          </div>
        </fieldset>

        <fieldset class="card card-flush" disabled={!isAdmin}>
          <div class="card-header card-header-row">
            <div>
              <legend class="card-title card-legend">Rules</legend>
              <p class="card-description">Each match adds its points, up to the rule’s limit per visitor. Page patterns match the path; <code>*</code> matches anything.</p>
            </div>
            <button
              type="button"
              class="btn btn-secondary btn-sm"
              onClick={() => {
                const label = 'New rule';
                edit({ rules: [...draft.rules, { id: newRuleId(label, draft.rules), label, condition: conditionDefaults('page'), points: 10 }] });
              }}
            >
              <PlusIcon size={16} />
              <span>Add rule</span>
            </button>
          </div>
          <div class="table-scroll">
            <table class="table rules-table">
              <caption class="sr-only">Scoring rules</caption>
              <thead>
                <tr>
                  <th scope="col" class="col-rule-label">Rule</th>
                  <th scope="col">When</th>
                  <th scope="col" class="col-points">Points</th>
                  <th scope="col" class="col-limit">Limit</th>
                  <th scope="col" class="col-remove">
                    <span class="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.rules.map((rule, index) => (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    index={index}
                    errors={errors}
                    onChange={(patch) => editRule(index, patch)}
                    onRemove={() => edit({ rules: draft.rules.filter((_, i) => i !== index) })}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {draft.rules.length === 0 && <p class="card-note">No rules: every visitor stays cold. Add a rule or restore the defaults.</p>}
        </fieldset>

        {isAdmin && (
          <div class="form-actions sticky-actions">
            <button type="submit" class="btn btn-primary" disabled={!dirty || busy}>
              {busy ? 'Saving…' : 'Save and rescore'}
            </button>
            <button type="button" class="btn btn-ghost" disabled={!dirty || busy} onClick={settings.discard}>
              Discard changes
            </button>
            {defaults && !sameJson(draft, defaults) && (
              <button type="button" class="btn btn-ghost" disabled={busy} onClick={() => edit({ ...defaults })}>
                Restore {site.template === 'b2b' ? 'B2B' : 'shop'} defaults
              </button>
            )}
          </div>
        )}
      </form>

      <LearnCard
        site={site}
        settings={saved}
        disabled={!isAdmin || dirty}
        onApplied={(applied) => {
          setJob(applied.job);
          settings.replace(applied.settings, 'Applied the learnt points. Visitors are being rescored in the background.');
        }}
      />
    </div>
  );
}

function NumberField(props: { id: string; label: string; suffix: string; value: number; step?: string; error?: string | undefined; onChange: (value: number) => void }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => {
    if (toInt(text) !== props.value) setText(String(props.value));
  }, [props.value]);
  return (
    <Field id={props.id} label={props.label} error={props.error}>
      <div class="input-suffix">
        <input
          id={props.id}
          class="input"
          type="number"
          inputMode="decimal"
          step={props.step ?? '1'}
          value={text}
          {...describedBy(props.id, props.error, false)}
          onInput={(event) => {
            const value = (event.target as HTMLInputElement).value;
            setText(value);
            props.onChange(toInt(value));
          }}
        />
        <span>{props.suffix}</span>
      </div>
    </Field>
  );
}

function RuleRow({ rule, index, errors, onChange, onRemove }: { rule: ScoringRule; index: number; errors: Record<string, string>; onChange: (patch: Partial<ScoringRule>) => void; onRemove: () => void }) {
  const err = (path: string) => errors[`rules.${index}.${path}`];
  const labelId = `rule-${index}-label`;
  return (
    <tr>
      <td class="col-rule-label">
        <input
          id={labelId}
          class="input input-sm"
          value={rule.label}
          aria-label="Rule name"
          aria-invalid={err('label') ? true : undefined}
          title={err('label')}
          maxLength={80}
          onInput={(event) => onChange({ label: (event.target as HTMLInputElement).value })}
        />
        {err('label') && <span class="cell-error">{err('label')}</span>}
      </td>
      <td class="col-condition">
        <ConditionEditor condition={rule.condition} index={index} errors={errors} onChange={(condition) => onChange({ condition })} />
      </td>
      <td class="col-points" data-label="Points">
        <input
          class={`input input-sm points-input${rule.points < 0 ? ' negative' : ''}`}
          type="number"
          min={-100}
          max={100}
          value={Number.isNaN(rule.points) ? '' : rule.points}
          aria-label={`Points for ${rule.label}`}
          aria-invalid={err('points') ? true : undefined}
          onInput={(event) => onChange({ points: toInt((event.target as HTMLInputElement).value) })}
        />
        {err('points') && <span class="cell-error">{err('points')}</span>}
      </td>
      <td class="col-limit" data-label="Limit">
        <input
          class="input input-sm"
          type="number"
          min={1}
          placeholder="∞"
          value={rule.limit ?? ''}
          aria-label={`Counted at most, for ${rule.label}`}
          aria-invalid={err('limit') ? true : undefined}
          onInput={(event) => {
            const value = (event.target as HTMLInputElement).value;
            onChange({ limit: value.trim() === '' ? undefined : toInt(value) });
          }}
        />
        {err('limit') && <span class="cell-error">{err('limit')}</span>}
      </td>
      <td class="col-remove">
        <button type="button" class="icon-button" aria-label={`Remove ${rule.label}`} onClick={onRemove}>
          <TrashIcon size={16} />
        </button>
      </td>
    </tr>
  );
}

function ConditionEditor({ condition, index, errors, onChange }: { condition: RuleCondition; index: number; errors: Record<string, string>; onChange: (condition: RuleCondition) => void }) {
  const err = (path: string) => errors[`rules.${index}.condition.${path}`];
  const text = (key: string, value: string, placeholder: string, label: string) => (
    <input
      class="input input-sm"
      value={value}
      placeholder={placeholder}
      aria-label={label}
      aria-invalid={err(key) ? true : undefined}
      onInput={(event) => onChange({ ...condition, [key]: (event.target as HTMLInputElement).value } as RuleCondition)}
    />
  );
  return (
    <div class="condition">
      <select
        class="input select input-sm"
        aria-label="Condition"
        value={condition.kind}
        onChange={(event) => onChange(conditionDefaults((event.target as HTMLSelectElement).value as ConditionKind))}
      >
        {conditionKinds.map(({ kind, label }) => (
          <option key={kind} value={kind}>
            {label}
          </option>
        ))}
      </select>
      {condition.kind === 'page' && text('pattern', condition.pattern, '/pricing*', 'Page path pattern')}
      {condition.kind === 'event' && text('name', condition.name, 'add-to-cart', 'Event name')}
      {condition.kind === 'engagement' && (
        <>
          <select
            class="input select input-sm"
            aria-label="Measure"
            value={condition.metric}
            onChange={(event) => onChange({ ...condition, metric: (event.target as HTMLSelectElement).value as typeof condition.metric })}
          >
            {engagementMetrics.map((metric) => (
              <option key={metric} value={metric}>
                {metricLabels[metric].label}
              </option>
            ))}
          </select>
          <span class="condition-word">≥</span>
          <input
            class="input input-sm condition-min"
            type="number"
            min={1}
            value={Number.isNaN(condition.min) ? '' : condition.min}
            aria-label={`At least (${metricLabels[condition.metric].unit})`}
            aria-invalid={err('min') ? true : undefined}
            onInput={(event) => onChange({ ...condition, min: toInt((event.target as HTMLInputElement).value) })}
          />
          <span class="condition-word">{metricLabels[condition.metric].unit}</span>
          {(condition.metric === 'time_on_page' || condition.metric === 'scroll_depth') && (
            <input
              class="input input-sm"
              value={condition.pattern ?? ''}
              placeholder="any page"
              aria-label="On pages matching (optional)"
              onInput={(event) => {
                const pattern = (event.target as HTMLInputElement).value;
                onChange({ ...condition, pattern: pattern.trim() ? pattern : undefined });
              }}
            />
          )}
        </>
      )}
      {condition.kind === 'source' && (
        <>
          <select
            class="input select input-sm"
            aria-label="Source field"
            value={condition.field}
            onChange={(event) => {
              const field = (event.target as HTMLSelectElement).value as typeof condition.field;
              onChange(field === 'click_id' ? { kind: 'source', field } : { ...condition, field });
            }}
          >
            {sourceFields.map((field) => (
              <option key={field} value={field}>
                {sourceFieldLabels[field]}
              </option>
            ))}
          </select>
          {condition.field !== 'click_id' && text('value', condition.value ?? '', condition.field === 'referrer_domain' ? 'linkedin.com' : 'cpc', 'Value')}
        </>
      )}
      {condition.kind === 'identified' && (
        <select class="input select input-sm" aria-label="Identified with" value={condition.with} onChange={(event) => onChange({ ...condition, with: (event.target as HTMLSelectElement).value as typeof condition.with })}>
          {Object.entries(identifiedLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
      {condition.kind === 'signal' && (
        <select class="input select input-sm" aria-label="Channel signal" value={condition.signal} onChange={(event) => onChange({ ...condition, signal: (event.target as HTMLSelectElement).value as typeof condition.signal })}>
          {Object.entries(signalLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
      {Object.keys(errors)
        .filter((key) => key.startsWith(`rules.${index}.condition.`))
        .map((key) => (
          <span class="cell-error" key={key}>
            {errors[key]}
          </span>
        ))}
    </div>
  );
}

/** Fits the rules to won/lost outcomes and shows whether that ranks leads better before anyone applies it. */
function LearnCard({
  site,
  settings,
  disabled,
  onApplied,
}: {
  site: Site;
  settings: ScoringSettings;
  disabled: boolean;
  onApplied: (applied: { settings: ScoringSettings; job: ScoringJob }) => void;
}) {
  const [result, setResult] = useState<LearnResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setResult(null), [site.id, settings]);

  const learn = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.learnScoring(site.id));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!result) return;
    setBusy(true);
    setError(null);
    try {
      onApplied(await api.applyScoring(site.id, Object.fromEntries(result.proposed.map((p) => [p.ruleId, p.proposed]))));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const changed = result?.proposed.filter((p) => p.proposed !== p.current) ?? [];
  const better = result ? result.learnedAuc > result.currentAuc : false;

  return (
    <section class="card" aria-labelledby="learn-title">
      <div class="card-header-row">
        <div>
          <h2 class="card-title" id="learn-title">
            Learn from outcomes
          </h2>
          <p class="card-description">
            Mark visitors <strong>won</strong> or <strong>lost</strong> (on the Visitors page, or when a lead closes). With at least {minOutcomesToLearn} of them, Beckon
            fits the rules’ points to what actually won, and tests both on visitors it did not learn from.
          </p>
        </div>
        <button type="button" class="btn btn-secondary" disabled={disabled || busy} onClick={() => void learn()} title={disabled ? 'Save your rule changes first' : undefined}>
          <ZapIcon size={16} />
          <span>{busy && !result ? 'Learning…' : 'Learn'}</span>
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {result && (
        <div class="stack learn-result">
          <div class="auc-compare" role="group" aria-label="How well each ranks held-out visitors (AUC)">
            <AucBar label="Current rules" value={result.currentAuc} />
            <AucBar label="Learnt points" value={result.learnedAuc} highlight={better} />
          </div>
          <p class="muted">
            The chance a won visitor scores above a lost one (0.5 is a coin toss), over {result.outcomes.won} won and {result.outcomes.lost} lost visitors. The learnt
            points are tested by {result.folds}-fold cross-validation: each visitor is scored by a fit that never saw them.
          </p>
          <CalibrationTable result={result} />
          <ProposalTable result={result} settings={settings} />
          <div class="form-actions">
            <button type="button" class="btn btn-primary" disabled={busy || changed.length === 0} onClick={() => void apply()}>
              Apply learnt points
            </button>
            {!better && <span class="muted">The learnt points do not rank better than your rules; keeping yours is fine.</span>}
          </div>
        </div>
      )}
    </section>
  );
}

function AucBar({ label, value, highlight = false }: { label: string; value: number; highlight?: boolean }) {
  return (
    <div class={`auc${highlight ? ' auc-best' : ''}`}>
      <span class="auc-label">{label}</span>
      <span class="auc-track" aria-hidden="true">
        <span class="auc-fill" style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} />
      </span>
      <span class="auc-value">{value.toFixed(3)}</span>
    </div>
  );
}

const confidenceLabels: Record<LearnedRule['confidence'], string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  not_enough_data: 'Not enough data',
  no_contrast: 'Hit by all alike',
};

const keepsPoints = (rule: LearnedRule) => rule.confidence === 'not_enough_data' || rule.confidence === 'no_contrast';

/**
 * The rules the data say something about, with their proposal, how many labelled visitors it rests on
 * and how sure the fit is; then, in one line, the rules that keep their points and why.
 */
function ProposalTable({ result, settings }: { result: LearnResult; settings: ScoringSettings }) {
  const learnt = result.proposed.filter((p) => !keepsPoints(p));
  const waiting = result.proposed.filter((p) => p.confidence === 'not_enough_data');
  const alike = result.proposed.filter((p) => p.confidence === 'no_contrast');
  return (
    <>
      {learnt.length > 0 && (
        <div class="table-scroll">
          <table class="table proposal-table">
            <caption class="proposal-caption">Proposed points; ± is the 95 % range of a rule’s points.</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col" class="col-points">Now</th>
                <th scope="col" class="col-points">Proposed</th>
                <th scope="col" class="col-hits">Labelled hits</th>
                <th scope="col" class="col-confidence">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {learnt.map((p) => {
                const rule = settings.rules.find((r) => r.id === p.ruleId);
                const moved = p.proposed !== p.current;
                return (
                  <tr key={p.ruleId}>
                    <td data-label="Rule">
                      <span class="pv-title">{p.label}</span>
                      {rule && <span class="pv-path">{describeCondition(rule.condition)}</span>}
                    </td>
                    <td class="col-points" data-label="Now">
                      {p.current}
                    </td>
                    <td class={`col-points${moved ? ` proposed${p.proposed > p.current ? ' up' : ' down'}` : ''}`} data-label="Proposed">
                      {p.proposed}
                      {p.margin !== undefined && <span class="proposal-margin"> ±{p.margin}</span>}
                    </td>
                    <td class="col-hits" data-label="Labelled hits">
                      {p.labelledHits} <span class="muted">({p.wonHits} won)</span>
                    </td>
                    <td class="col-confidence" data-label="Confidence">
                      <span class={`confidence confidence-${p.confidence}`}>{confidenceLabels[p.confidence]}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {waiting.length > 0 && (
        <p class="muted keeps-points">
          <strong>Not enough data</strong> (fewer than {result.minLabelledHits} labelled visitors hit them; they keep their points):{' '}
          {waiting.map((p) => `${p.label} (${p.labelledHits})`).join(', ')}.
        </p>
      )}
      {alike.length > 0 && (
        <p class="muted keeps-points">
          <strong>Hit by all alike</strong> (they cannot tell winners from losers; they keep their points): {alike.map((p) => p.label).join(', ')}.
        </p>
      )}
    </>
  );
}

/** Predicted against observed conversion by bucket: a fit whose 30 % really convert at 30 % can be trusted. */
function CalibrationTable({ result }: { result: LearnResult }) {
  const percent = (value: number) => `${Math.round(value * 100)} %`;
  return (
    <div class="table-scroll">
      <table class="table calibration-table">
        <caption class="proposal-caption">Calibration: predicted and actual chance of winning, by group of labelled visitors.</caption>
        <thead>
          <tr>
            <th scope="col">Visitors</th>
            <th scope="col" class="col-points">Predicted</th>
            <th scope="col" class="col-points">Won</th>
            <th scope="col" class="col-calibration-bar">
              <span class="sr-only">Comparison</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {result.calibration.map((bucket, index) => (
            <tr key={index}>
              <td>{bucket.visitors}</td>
              <td class="col-points">{percent(bucket.predicted)}</td>
              <td class="col-points">{percent(bucket.observed)}</td>
              <td class="col-calibration-bar" aria-hidden="true">
                <span class="calibration-bar">
                  <span class="calibration-predicted" style={{ width: `${bucket.predicted * 100}%` }} />
                  <span class="calibration-observed" style={{ width: `${bucket.observed * 100}%` }} />
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const isOpen = (job: ScoringJob | null) => job?.status === 'queued' || job?.status === 'running';

/**
 * The site's latest rescoring job, kept current by `scoring:job` pushes and, while one is open, a poll
 * every 2 s (pushes can be missed across a reconnect; the poll also covers a dashboard without socket).
 */
function useRescoreJob(siteId: string) {
  const live = useLive();
  const [job, setJob] = useState<ScoringJob | null>(null);
  useEffect(() => {
    setJob(null);
    const off = live.on('scoringJob', (update) => {
      if (update.siteId !== siteId) return;
      // A newer job replaces the shown one; an older one's late frames are ignored.
      setJob((current) => (!current || current.id === update.id || update.requestedAt >= current.requestedAt ? update : current));
    });
    return off;
  }, [siteId, live.on]);
  const open = isOpen(job);
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => {
      api.getScoringJob(siteId).then((latest) => latest && setJob((current) => (current && current.id !== latest.id && current.requestedAt > latest.requestedAt ? current : latest)), () => {});
    }, 2000);
    return () => clearInterval(timer);
  }, [siteId, open]);
  return [job, setJob] as const;
}

/** "Rescoring visitors… 200 of 450", then "Rescored 450 visitors" once the job is done. */
function RescoreProgress({ job }: { job: ScoringJob | null }) {
  // A finished job is news for a while after it ends, not forever.
  const stale = job?.finishedAt !== null && job?.finishedAt !== undefined && Date.now() - Date.parse(job.finishedAt) > 10 * 60_000;
  if (!job || job.status === 'superseded' || stale) return null;
  const running = isOpen(job);
  const label =
    job.status === 'failed'
      ? 'Rescoring failed; saving again retries it.'
      : running
        ? job.total > 0
          ? `Rescoring visitors: ${job.done.toLocaleString()} of ${job.total.toLocaleString()}`
          : 'Rescoring visitors…'
        : `Rescored ${job.total.toLocaleString()} visitor${job.total === 1 ? '' : 's'} with the current rules.`;
  return (
    <div class={`rescore-progress${running ? '' : ' rescore-done'}`} role="status" aria-live="polite">
      <span class="rescore-label">{label}</span>
      {running && <progress class="rescore-bar" max={Math.max(1, job.total)} value={job.done} aria-label="Rescoring progress" />}
    </div>
  );
}
