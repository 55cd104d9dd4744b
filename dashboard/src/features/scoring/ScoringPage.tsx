import { useEffect, useState } from 'preact/hooks';
import type {
  ComputedThresholds,
  LearnResult,
  LearnedRule,
  ProposedNewRule,
  RuleCondition,
  ScoringJob,
  ScoringRule,
  ScoringSettings,
  Site,
} from '@beckon/sdk/protocol';
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
  conditionKindLabel,
  conditionKinds,
  describeCondition,
  identifiedLabel,
  identifiedWiths,
  metricLabel,
  newRuleId,
  sourceFieldLabel,
  validateScoring,
  type ConditionKind,
} from './rules';
import { formatNumber } from '../../lib/i18n';
import { rich } from '../../lib/i18n/rich';
import { t } from './i18n';
import { DeviceFields, EventPropFields, FormFields, SignalFields, TotalFields } from './ConditionFields';

const toInt = (text: string) => (text.trim() === '' ? NaN : Number(text));

/** Per-site scoring: rules (condition → points), decay half-life, thresholds, and learning from outcomes. */
export function ScoringPage({ site }: { site: Site }) {
  const { isAdmin } = useSession();
  const [defaults, setDefaults] = useState<ScoringSettings | null>(null);
  const [thresholds, setThresholds] = useState<ComputedThresholds | null>(null);
  const [job, setJob] = useRescoreJob(site.id);
  // Percent thresholds are computed when a rescore finishes: show the new points then.
  const jobDone = job?.status === 'done' ? job.id : null;
  useEffect(() => {
    if (!jobDone) return;
    api.getScoring(site.id).then(
      (result) => setThresholds(result.thresholds),
      () => {},
    );
  }, [site.id, jobDone]);
  const settings = useSettingsDraft({
    key: site.id,
    load: () => api.getScoring(site.id),
    draftOf: (result) => result.settings,
    onLoad: (result) => {
      setDefaults(result.defaults);
      setThresholds(result.thresholds);
      setJob(result.job);
    },
    validate: validateScoring,
    save: async (draft) => {
      const saved = await api.saveScoring(site.id, draft);
      setJob(saved.job);
      return saved.settings;
    },
    savedNotice: t('savedNotice'),
  });
  const { draft, saved, dirty, errors, error, notice, busy, edit } = settings;

  if (!draft || !saved) {
    return (
      <div class="page">
        <PageHeader title={t('title')} />
        {error ? <Alert>{error}</Alert> : <Spinner label={t('loading')} />}
      </div>
    );
  }

  const editRule = (index: number, patch: Partial<ScoringRule>) =>
    edit({ rules: draft.rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)) });

  return (
    <div class="page">
      <PageHeader title={t('title')} description={rich(t('description'), { site: <strong>{site.name}</strong> })} />
      {!isAdmin && <Alert tone="info">{t('onlyAdmins')}</Alert>}
      {error && <Alert>{error}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      <RescoreProgress job={job} />

      <form class="stack-lg" onSubmit={settings.save} noValidate>
        <fieldset class="card" disabled={!isAdmin}>
          <legend class="card-title card-legend">{t('temperature')}</legend>
          <p class="card-description">
            {rich(t('temperatureHelp'), {
              hot: <span class="temp-word temp-word-hot">{t('hotWord')}</span>,
              warm: <span class="temp-word temp-word-warm">{t('warmWord')}</span>,
              cold: <span class="temp-word temp-word-cold">{t('coldWord')}</span>,
            })}
          </p>
          <fieldset class="field threshold-mode">
            <legend class="field-label">{t('thresholdMode')}</legend>
            <div class="segmented" role="radiogroup">
              {(['points', 'percent'] as const).map((mode) => (
                <label key={mode} class={`segment${(draft.thresholdMode ?? 'points') === mode ? ' selected' : ''}`}>
                  <input
                    type="radio"
                    name="threshold-mode"
                    value={mode}
                    checked={(draft.thresholdMode ?? 'points') === mode}
                    onChange={() =>
                      edit(
                        mode === 'percent'
                          ? {
                              thresholdMode: 'percent',
                              hotPercent: draft.hotPercent ?? 20,
                              warmPercent: draft.warmPercent ?? 50,
                            }
                          : { thresholdMode: undefined, hotPercent: undefined, warmPercent: undefined },
                      )
                    }
                  />
                  <span>{mode === 'points' ? t('modePoints') : t('modePercent')}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div class="form-grid-3">
            {draft.thresholdMode === 'percent' ? (
              <>
                <NumberField
                  id="scoring-hot-percent"
                  label={t('hotTopPercent')}
                  suffix={t('percentOfVisitors')}
                  value={draft.hotPercent ?? 20}
                  error={errors.hotPercent}
                  onChange={(hotPercent) => edit({ hotPercent })}
                />
                <NumberField
                  id="scoring-warm-percent"
                  label={t('warmTopPercent')}
                  suffix={t('percentOfVisitors')}
                  value={draft.warmPercent ?? 50}
                  error={errors.warmPercent}
                  onChange={(warmPercent) => edit({ warmPercent })}
                />
              </>
            ) : (
              <>
                <NumberField
                  id="scoring-hot"
                  label={t('hotAt')}
                  suffix={t('points')}
                  value={draft.hot}
                  error={errors.hot}
                  onChange={(hot) => edit({ hot })}
                />
                <NumberField
                  id="scoring-warm"
                  label={t('warmAt')}
                  suffix={t('points')}
                  value={draft.warm}
                  error={errors.warm}
                  onChange={(warm) => edit({ warm })}
                />
              </>
            )}
            <NumberField
              id="scoring-half-life"
              label={t('halfLife')}
              suffix={t('days')}
              step="0.5"
              value={draft.halfLifeDays}
              error={errors.halfLifeDays}
              onChange={(halfLifeDays) => edit({ halfLifeDays })}
            />
          </div>
          {draft.thresholdMode === 'percent' && (
            <p class="card-note computed-thresholds" data-testid="computed-thresholds">
              {t('percentHelp')}{' '}
              {saved.thresholdMode === 'percent' && thresholds
                ? t('computedThresholds', {
                    hot: thresholds.hot,
                    warm: thresholds.warm,
                    visitors: formatNumber(thresholds.visitors),
                  })
                : t('computedPending', { hot: saved.hot, warm: saved.warm })}
            </p>
          )}
        </fieldset>

        <fieldset class="card card-flush" disabled={!isAdmin}>
          <div class="card-header card-header-row">
            <div>
              <legend class="card-title card-legend">{t('rules')}</legend>
              <p class="card-description">{rich(t('rulesHelp'), { star: <code>*</code> })}</p>
            </div>
            <button
              type="button"
              class="btn btn-secondary btn-sm"
              onClick={() => {
                const label = t('newRule');
                edit({
                  rules: [
                    ...draft.rules,
                    { id: newRuleId(label, draft.rules), label, condition: conditionDefaults('page'), points: 10 },
                  ],
                });
              }}
            >
              <PlusIcon size={16} />
              <span>{t('addRule')}</span>
            </button>
          </div>
          <div class="table-scroll">
            <table class="table rules-table">
              <caption class="sr-only">{t('rulesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" class="col-rule-label">
                    {t('colRule')}
                  </th>
                  <th scope="col">{t('colWhen')}</th>
                  <th scope="col" class="col-points">
                    {t('colPoints')}
                  </th>
                  <th scope="col" class="col-limit">
                    {t('colLimit')}
                  </th>
                  <th scope="col" class="col-remove">
                    <span class="sr-only">{t('remove')}</span>
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
          {draft.rules.length === 0 && <p class="card-note">{t('noRules')}</p>}
        </fieldset>

        {isAdmin && (
          <div class="form-actions sticky-actions">
            <button type="submit" class="btn btn-primary" disabled={!dirty || busy}>
              {busy ? t('saving') : t('saveAndRescore')}
            </button>
            <button type="button" class="btn btn-ghost" disabled={!dirty || busy} onClick={settings.discard}>
              {t('discard')}
            </button>
            {defaults && !sameJson(draft, defaults) && (
              <button type="button" class="btn btn-ghost" disabled={busy} onClick={() => edit({ ...defaults })}>
                {site.template === 'b2b' ? t('restoreB2b') : t('restoreShop')}
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
          settings.replace(applied.settings, t('appliedNotice'));
        }}
      />
    </div>
  );
}

function NumberField(props: {
  id: string;
  label: string;
  suffix: string;
  value: number;
  step?: string;
  error?: string | undefined;
  onChange: (value: number) => void;
}) {
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

function RuleRow({
  rule,
  index,
  errors,
  onChange,
  onRemove,
}: {
  rule: ScoringRule;
  index: number;
  errors: Record<string, string>;
  onChange: (patch: Partial<ScoringRule>) => void;
  onRemove: () => void;
}) {
  const err = (path: string) => errors[`rules.${index}.${path}`];
  const labelId = `rule-${index}-label`;
  return (
    <tr>
      <td class="col-rule-label">
        <input
          id={labelId}
          class="input input-sm"
          value={rule.label}
          aria-label={t('ruleName')}
          aria-invalid={err('label') ? true : undefined}
          title={err('label')}
          maxLength={80}
          onInput={(event) => onChange({ label: (event.target as HTMLInputElement).value })}
        />
        {err('label') && <span class="cell-error">{err('label')}</span>}
      </td>
      <td class="col-condition">
        <ConditionEditor
          condition={rule.condition}
          index={index}
          errors={errors}
          onChange={(condition) => onChange({ condition })}
        />
      </td>
      <td class="col-points" data-label={t('colPoints')}>
        <input
          class={`input input-sm points-input${rule.points < 0 ? ' negative' : ''}`}
          type="number"
          min={-100}
          max={100}
          value={Number.isNaN(rule.points) ? '' : rule.points}
          aria-label={t('pointsFor', { rule: rule.label })}
          aria-invalid={err('points') ? true : undefined}
          onInput={(event) => onChange({ points: toInt((event.target as HTMLInputElement).value) })}
        />
        {err('points') && <span class="cell-error">{err('points')}</span>}
      </td>
      <td class="col-limit" data-label={t('colLimit')}>
        <input
          class="input input-sm"
          type="number"
          min={1}
          placeholder="∞"
          value={rule.limit ?? ''}
          aria-label={t('limitFor', { rule: rule.label })}
          aria-invalid={err('limit') ? true : undefined}
          onInput={(event) => {
            const value = (event.target as HTMLInputElement).value;
            onChange({ limit: value.trim() === '' ? undefined : toInt(value) });
          }}
        />
        {err('limit') && <span class="cell-error">{err('limit')}</span>}
      </td>
      <td class="col-remove">
        <button type="button" class="icon-button" aria-label={t('removeRule', { rule: rule.label })} onClick={onRemove}>
          <TrashIcon size={16} />
        </button>
      </td>
    </tr>
  );
}

function ConditionEditor({
  condition,
  index,
  errors,
  onChange,
}: {
  condition: RuleCondition;
  index: number;
  errors: Record<string, string>;
  onChange: (condition: RuleCondition) => void;
}) {
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
        aria-label={t('condition')}
        value={condition.kind}
        onChange={(event) => onChange(conditionDefaults((event.target as HTMLSelectElement).value as ConditionKind))}
      >
        {conditionKinds.map((kind) => (
          <option key={kind} value={kind}>
            {conditionKindLabel(kind)}
          </option>
        ))}
      </select>
      {condition.kind === 'page' && text('pattern', condition.pattern, '/pricing*', t('pagePattern'))}
      {condition.kind === 'event' && text('name', condition.name, 'add-to-cart', t('eventName'))}
      {condition.kind === 'engagement' && (
        <>
          <select
            class="input select input-sm"
            aria-label={t('measure')}
            value={condition.metric}
            onChange={(event) =>
              onChange({ ...condition, metric: (event.target as HTMLSelectElement).value as typeof condition.metric })
            }
          >
            {engagementMetrics.map((metric) => (
              <option key={metric} value={metric}>
                {metricLabel(metric).label}
              </option>
            ))}
          </select>
          <span class="condition-amount">
            <span class="condition-word">≥</span>
            <input
              class="input input-sm condition-min"
              type="number"
              min={1}
              value={Number.isNaN(condition.min) ? '' : condition.min}
              aria-label={t('atLeast', { unit: metricLabel(condition.metric).unit })}
              aria-invalid={err('min') ? true : undefined}
              onInput={(event) => onChange({ ...condition, min: toInt((event.target as HTMLInputElement).value) })}
            />
            <span class="condition-word">{metricLabel(condition.metric).unit}</span>
          </span>
          {(condition.metric === 'time_on_page' || condition.metric === 'scroll_depth') && (
            <input
              class="input input-sm"
              value={condition.pattern ?? ''}
              placeholder={t('anyPage')}
              aria-label={t('onPagesMatching')}
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
            aria-label={t('sourceField')}
            value={condition.field}
            onChange={(event) => {
              const field = (event.target as HTMLSelectElement).value as typeof condition.field;
              onChange(field === 'click_id' ? { kind: 'source', field } : { ...condition, field });
            }}
          >
            {sourceFields.map((field) => (
              <option key={field} value={field}>
                {sourceFieldLabel(field)}
              </option>
            ))}
          </select>
          {condition.field !== 'click_id' &&
            text(
              'value',
              condition.value ?? '',
              condition.field === 'referrer_domain' ? 'linkedin.com' : 'cpc',
              t('value'),
            )}
        </>
      )}
      {condition.kind === 'identified' && (
        <select
          class="input select input-sm"
          aria-label={t('identifiedWith')}
          value={condition.with}
          onChange={(event) =>
            onChange({ ...condition, with: (event.target as HTMLSelectElement).value as typeof condition.with })
          }
        >
          {identifiedWiths.map((value) => (
            <option key={value} value={value}>
              {identifiedLabel(value)}
            </option>
          ))}
        </select>
      )}
      {condition.kind === 'signal' && (
        <SignalFields condition={condition} invalid={(path) => Boolean(err(path))} onChange={onChange} />
      )}
      {condition.kind === 'total' && (
        <TotalFields condition={condition} invalid={(path) => Boolean(err(path))} onChange={onChange} />
      )}
      {condition.kind === 'form' && (
        <FormFields condition={condition} invalid={(path) => Boolean(err(path))} onChange={onChange} />
      )}
      {condition.kind === 'event_prop' && (
        <EventPropFields condition={condition} invalid={(path) => Boolean(err(path))} onChange={onChange} />
      )}
      {condition.kind === 'device' && (
        <DeviceFields condition={condition} invalid={(path) => Boolean(err(path))} onChange={onChange} />
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
  // Indexes of the proposed new rules the admin ticked: each is accepted one by one, none by default.
  const [accepted, setAccepted] = useState<ReadonlySet<number>>(new Set());
  useEffect(() => {
    setResult(null);
    setAccepted(new Set());
  }, [site.id, settings]);

  const learn = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.learnScoring(site.id));
      setAccepted(new Set());
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
      const added: ScoringRule[] = [];
      for (const [index, proposal] of result.newRules.entries()) {
        if (!accepted.has(index)) continue;
        const label = describeCondition(proposal.condition).slice(0, 80);
        added.push({
          id: newRuleId(label, [...settings.rules, ...added]),
          label,
          condition: proposal.condition,
          points: proposal.points,
        });
      }
      onApplied(
        await api.applyScoring(site.id, Object.fromEntries(result.proposed.map((p) => [p.ruleId, p.proposed])), added),
      );
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
            {t('learnTitle')}
          </h2>
          <p class="card-description">
            {rich(t('learnHelp', { min: minOutcomesToLearn }), {
              won: <strong>{t('wonWord')}</strong>,
              lost: <strong>{t('lostWord')}</strong>,
            })}
          </p>
        </div>
        <button
          type="button"
          class="btn btn-secondary"
          disabled={disabled || busy}
          onClick={() => void learn()}
          title={disabled ? t('saveFirst') : undefined}
        >
          <ZapIcon size={16} />
          <span>{busy && !result ? t('learning') : t('learn')}</span>
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {result && (
        <div class="stack learn-result">
          <div class="auc-compare" role="group" aria-label={t('aucGroup')}>
            <AucBar label={t('currentRules')} value={result.currentAuc} />
            <AucBar label={t('learntPoints')} value={result.learnedAuc} highlight={better} />
          </div>
          <p class="muted">
            {t('aucHelp', { won: result.outcomes.won, lost: result.outcomes.lost, folds: result.folds })}
          </p>
          <CalibrationTable result={result} />
          <ProposalTable result={result} settings={settings} />
          <NewRulesTable
            rules={result.newRules}
            accepted={accepted}
            onToggle={(index) =>
              setAccepted((current) => {
                const next = new Set(current);
                if (next.has(index)) next.delete(index);
                else next.add(index);
                return next;
              })
            }
          />
          <div class="form-actions">
            <button
              type="button"
              class="btn btn-primary"
              disabled={busy || (changed.length === 0 && accepted.size === 0)}
              onClick={() => void apply()}
            >
              {t('applyLearnt')}
            </button>
            {!better && <span class="muted">{t('notBetter')}</span>}
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
      <span class="auc-value">{formatNumber(value, { minimumFractionDigits: 3, maximumFractionDigits: 3 })}</span>
    </div>
  );
}

const confidenceKeys = {
  high: 'confidenceHigh',
  medium: 'confidenceMedium',
  low: 'confidenceLow',
  not_enough_data: 'confidenceNotEnough',
  no_contrast: 'confidenceNoContrast',
} as const satisfies Record<LearnedRule['confidence'], Parameters<typeof t>[0]>;

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
            <caption class="proposal-caption">{t('proposalCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colRule')}</th>
                <th scope="col" class="col-points">
                  {t('colNow')}
                </th>
                <th scope="col" class="col-points">
                  {t('colProposed')}
                </th>
                <th scope="col" class="col-hits">
                  {t('colLabelledHits')}
                </th>
                <th scope="col" class="col-confidence">
                  {t('colConfidence')}
                </th>
              </tr>
            </thead>
            <tbody>
              {learnt.map((p) => {
                const rule = settings.rules.find((r) => r.id === p.ruleId);
                const moved = p.proposed !== p.current;
                return (
                  <tr key={p.ruleId}>
                    <td data-label={t('colRule')}>
                      <span class="pv-title">{p.label}</span>
                      {rule && <span class="pv-path">{describeCondition(rule.condition)}</span>}
                    </td>
                    <td class="col-points" data-label={t('colNow')}>
                      {p.current}
                    </td>
                    <td
                      class={`col-points${moved ? ` proposed${p.proposed > p.current ? ' up' : ' down'}` : ''}`}
                      data-label={t('colProposed')}
                    >
                      {p.proposed}
                      {p.margin !== undefined && <span class="proposal-margin"> ±{p.margin}</span>}
                    </td>
                    <td class="col-hits" data-label={t('colLabelledHits')}>
                      {p.labelledHits} <span class="muted">{t('wonHits', { count: p.wonHits })}</span>
                    </td>
                    <td class="col-confidence" data-label={t('colConfidence')}>
                      <span class={`confidence confidence-${p.confidence}`}>{t(confidenceKeys[p.confidence])}</span>
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
          <strong>{t('confidenceNotEnough')}</strong>{' '}
          {t('notEnoughList', {
            min: result.minLabelledHits,
            rules: waiting.map((p) => `${p.label} (${p.labelledHits})`).join(', '),
          })}
        </p>
      )}
      {alike.length > 0 && (
        <p class="muted keeps-points">
          <strong>{t('confidenceNoContrast')}</strong>{' '}
          {t('noContrastList', { rules: alike.map((p) => p.label).join(', ') })}
        </p>
      )}
    </>
  );
}

/**
 * Rules the fit found among conditions the site has no rule for (totals across visits), with the points
 * they would carry beside the proposed ones, the evidence and the confidence; the admin ticks each to add.
 */
function NewRulesTable({
  rules,
  accepted,
  onToggle,
}: {
  rules: readonly ProposedNewRule[];
  accepted: ReadonlySet<number>;
  onToggle: (index: number) => void;
}) {
  if (rules.length === 0) return <p class="muted keeps-points">{t('noNewRules')}</p>;
  return (
    <div class="table-scroll">
      <table class="table proposal-table new-rules-table">
        <caption class="proposal-caption">{t('newRulesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col" class="col-add">
              {t('colAdd')}
            </th>
            <th scope="col">{t('colWhen')}</th>
            <th scope="col" class="col-points">
              {t('colProposed')}
            </th>
            <th scope="col" class="col-hits">
              {t('colLabelledHits')}
            </th>
            <th scope="col" class="col-confidence">
              {t('colConfidence')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => {
            const description = describeCondition(rule.condition);
            return (
              <tr key={description} class={accepted.has(index) ? 'accepted' : undefined}>
                <td class="col-add">
                  <input
                    type="checkbox"
                    class="checkbox"
                    checked={accepted.has(index)}
                    aria-label={t('addNewRule', { rule: description })}
                    onChange={() => onToggle(index)}
                  />
                </td>
                <td data-label={t('colWhen')}>
                  <span class="pv-title">{description}</span>
                </td>
                <td class={`col-points proposed${rule.points > 0 ? ' up' : ' down'}`} data-label={t('colProposed')}>
                  {rule.points > 0 ? `+${rule.points}` : rule.points}
                  <span class="proposal-margin"> ±{rule.margin}</span>
                </td>
                <td class="col-hits" data-label={t('colLabelledHits')}>
                  {rule.labelledHits} <span class="muted">{t('wonHits', { count: rule.wonHits })}</span>
                </td>
                <td class="col-confidence" data-label={t('colConfidence')}>
                  <span class={`confidence confidence-${rule.confidence}`}>{t(confidenceKeys[rule.confidence])}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Predicted against observed conversion by bucket: a fit whose 30 % really convert at 30 % can be trusted. */
function CalibrationTable({ result }: { result: LearnResult }) {
  const percent = (value: number) => formatNumber(value, { style: 'percent', maximumFractionDigits: 0 });
  return (
    <div class="table-scroll">
      <table class="table calibration-table">
        <caption class="proposal-caption">{t('calibrationCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colVisitors')}</th>
            <th scope="col" class="col-points">
              {t('colPredicted')}
            </th>
            <th scope="col" class="col-points">
              {t('colWon')}
            </th>
            <th scope="col" class="col-calibration-bar">
              <span class="sr-only">{t('comparison')}</span>
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
      setJob((current) =>
        !current || current.id === update.id || update.requestedAt >= current.requestedAt ? update : current,
      );
    });
    return off;
  }, [siteId, live.on]);
  const open = isOpen(job);
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => {
      api.getScoringJob(siteId).then(
        (latest) =>
          latest &&
          setJob((current) =>
            current && current.id !== latest.id && current.requestedAt > latest.requestedAt ? current : latest,
          ),
        () => {},
      );
    }, 2000);
    return () => clearInterval(timer);
  }, [siteId, open]);
  return [job, setJob] as const;
}

/** "Rescoring visitors… 200 of 450", then "Rescored 450 visitors" once the job is done. */
function RescoreProgress({ job }: { job: ScoringJob | null }) {
  // A finished job is news for a while after it ends, not forever.
  const stale =
    job?.finishedAt !== null && job?.finishedAt !== undefined && Date.now() - Date.parse(job.finishedAt) > 10 * 60_000;
  if (!job || job.status === 'superseded' || stale) return null;
  const running = isOpen(job);
  const label =
    job.status === 'failed'
      ? t('rescoreFailed')
      : running
        ? job.total > 0
          ? t('rescoringProgress', { done: job.done, total: job.total })
          : t('rescoring')
        : t('rescored', { count: job.total });
  return (
    <div class={`rescore-progress${running ? '' : ' rescore-done'}`} role="status" aria-live="polite">
      <span class="rescore-label">{label}</span>
      {running && (
        <progress class="rescore-bar" max={Math.max(1, job.total)} value={job.done} aria-label={t('rescoringAria')} />
      )}
    </div>
  );
}
