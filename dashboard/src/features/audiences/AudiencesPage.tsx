import { useState } from 'preact/hooks';
import type { Audience, AudienceInput, AudienceRule, PixelConfig, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PlusIcon, TrashIcon } from '../../components/Icons';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { useSession } from '../../session';
import { useSiteList } from '../sites';
import {
  defaultRule,
  describeRule,
  pixelFrom,
  pixelLabels,
  pixelTarget,
  ruleKinds,
  segmentFromName,
  type RuleKind,
} from './rules';
import { t } from './i18n';

type Listed = Audience & { members: number };

/** Retargeting audiences (segment rules) and the pixels fired when a visitor enters one. */
export function AudiencesPage({ site }: { site: Site }) {
  const { isAdmin } = useSession();
  const { data, setData, error, reload: load, change } = useSiteList(site.id, api.listAudiences);
  const audiences: Listed[] | null = data?.audiences ?? null;
  const pixels = data?.pixels ?? [];
  const setPixels = (saved: PixelConfig[]) => setData((current) => current && { ...current, pixels: saved });

  const toggle = (audience: Listed) => {
    const { id: _id, createdAt: _createdAt, members: _members, ...input } = audience;
    return change(() => api.updateAudience(site.id, audience.id, { ...input, enabled: !audience.enabled }));
  };
  const remove = async (audience: Listed) => {
    if (confirm(t('deleteConfirm', { name: audience.name })))
      await change(() => api.deleteAudience(site.id, audience.id));
  };

  const [beforeSite, beforeMarketing, beforeCookie, afterCookie] = t('description', {
    site: '\u0000',
    marketing: '\u0000',
    cookie: '\u0000',
  }).split('\u0000');
  return (
    <div class="page">
      <PageHeader
        title={t('title')}
        description={
          <>
            {beforeSite}
            <strong>{site.name}</strong>
            {beforeMarketing}
            <em>{t('marketing')}</em>
            {beforeCookie}
            <code>bk_seg</code>
            {afterCookie}
          </>
        }
      />
      {error && <Alert>{error}</Alert>}
      <div class="page-grid">
        <div class="stack-lg">
          <section class="card card-flush" aria-labelledby="audiences-title">
            <div class="card-header audience-card-header">
              <h2 class="card-title" id="audiences-title">
                {t('segments')}
              </h2>
            </div>
            {audiences === null ? (
              <Spinner />
            ) : audiences.length === 0 ? (
              <EmptyState title={t('noAudiences')}>{t('noAudiencesHint')}</EmptyState>
            ) : (
              <div class="table-wrap">
                <table class="table audience-table">
                  <colgroup>
                    <col class="col-audience" />
                    <col class="col-rule" />
                    <col class="col-members" />
                    <col class="col-status" />
                    {isAdmin && <col class="col-actions" />}
                  </colgroup>
                  <thead>
                    <tr>
                      <th scope="col">{t('audience')}</th>
                      <th scope="col" class="rule-head">
                        {t('rule')}
                      </th>
                      <th scope="col" class="num">
                        {t('members')}
                      </th>
                      <th scope="col">{t('status')}</th>
                      {isAdmin && (
                        <th scope="col">
                          <span class="sr-only">{t('actions')}</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {audiences.map((audience) => (
                      <tr key={audience.id}>
                        <td>
                          <div class="audience-name">{audience.name}</div>
                          <code class="audience-segment">{audience.segment}</code>
                          <div class="audience-rule-inline muted">{describeRule(audience.rule)}</div>
                        </td>
                        <td class="audience-rule">
                          {describeRule(audience.rule)}
                          <div class="muted">
                            {audience.pixels ? t('fires', { event: audience.eventName }) : t('noPixelsServer')}
                          </div>
                        </td>
                        <td class="num">{audience.members}</td>
                        <td>
                          {isAdmin ? (
                            <label class="switch" title={audience.enabled ? t('on') : t('off')}>
                              <input
                                type="checkbox"
                                role="switch"
                                aria-label={t('enabledLabel', { name: audience.name })}
                                checked={audience.enabled}
                                onChange={() => void toggle(audience)}
                              />
                              <span class="switch-track" aria-hidden="true" />
                            </label>
                          ) : (
                            <span class={`badge ${audience.enabled ? 'badge-accent' : 'badge-neutral'}`}>
                              {audience.enabled ? t('on') : t('off')}
                            </span>
                          )}
                        </td>
                        {isAdmin && (
                          <td class="actions">
                            <button
                              type="button"
                              class="btn btn-ghost btn-sm"
                              aria-label={t('deleteNamed', { name: audience.name })}
                              onClick={() => void remove(audience)}
                            >
                              <TrashIcon size={16} />
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          {isAdmin && <NewAudience site={site} onCreated={() => void load()} />}
        </div>
        <aside class="stack">
          <PixelsCard site={site} pixels={pixels} editable={isAdmin} onSaved={setPixels} />
        </aside>
      </div>
    </div>
  );
}

function NewAudience({ site, onCreated }: { site: Site; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [segment, setSegment] = useState('');
  const [segmentEdited, setSegmentEdited] = useState(false);
  const [rule, setRule] = useState<AudienceRule>(defaultRule('viewed_without_lead'));
  const [eventName, setEventName] = useState('');
  const [pixels, setPixels] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const slug = segmentEdited ? segment : segmentFromName(name);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input: AudienceInput = {
      name: name.trim(),
      segment: slug,
      rule,
      eventName: eventName.trim() || `beckon_${slug.replace(/-/g, '_')}`,
      pixels,
      enabled: true,
    };
    try {
      await api.createAudience(site.id, input);
      setName('');
      setSegment('');
      setSegmentEdited(false);
      setEventName('');
      setFields({});
      onCreated();
    } catch (caught) {
      if (caught instanceof ApiError) setFields(caught.fieldErrors());
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card stack" onSubmit={submit} noValidate aria-labelledby="new-audience-title">
      <h2 class="card-title" id="new-audience-title">
        {t('newAudience')}
      </h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid-2">
        <Field id="audience-name" label={t('name')} error={fields.name}>
          <input
            id="audience-name"
            class="input"
            maxLength={80}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            required
          />
        </Field>
        <Field id="audience-segment" label={t('segment')} hint={t('segmentHint')} error={fields.segment}>
          <input
            id="audience-segment"
            class="input mono"
            maxLength={30}
            value={slug}
            onInput={(e) => {
              setSegmentEdited(true);
              setSegment(e.currentTarget.value);
            }}
          />
        </Field>
      </div>
      <Field id="audience-kind" label={t('visitorsWho')}>
        <select
          id="audience-kind"
          class="input select"
          value={rule.kind}
          onChange={(e) => setRule(defaultRule(e.currentTarget.value as RuleKind))}
        >
          {ruleKinds.map(({ kind, label }) => (
            <option key={kind} value={kind}>
              {t(label)}
            </option>
          ))}
        </select>
      </Field>
      <RuleFields rule={rule} onChange={setRule} fields={fields} />
      <div class="form-grid-2">
        <Field id="audience-event" label={t('pixelEvent')} optional hint={t('pixelEventHint')} error={fields.eventName}>
          <input
            id="audience-event"
            class="input mono"
            maxLength={100}
            placeholder={`beckon_${slug.replace(/-/g, '_') || 'segment'}`}
            value={eventName}
            onInput={(e) => setEventName(e.currentTarget.value)}
          />
        </Field>
        <label class="switch-row audience-pixels-switch">
          <span class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={pixels}
              onChange={(e) => setPixels(e.currentTarget.checked)}
            />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">{t('firePixels')}</span>
            <span class="switch-description">{t('firePixelsHint')}</span>
          </span>
        </label>
      </div>
      <div>
        <button type="submit" class="btn btn-primary" disabled={busy || !name.trim() || !slug}>
          <PlusIcon size={16} /> {busy ? t('adding') : t('addAudience')}
        </button>
      </div>
    </form>
  );
}

function RuleFields({
  rule,
  onChange,
  fields,
}: {
  rule: AudienceRule;
  onChange: (rule: AudienceRule) => void;
  fields: Record<string, string>;
}) {
  switch (rule.kind) {
    case 'temperature':
      return (
        <Field id="audience-temperature" label={t('temperature')}>
          <select
            id="audience-temperature"
            class="input select"
            value={rule.temperature}
            onChange={(e) => onChange({ ...rule, temperature: e.currentTarget.value as 'hot' | 'warm' })}
          >
            <option value="hot">{t('hot')}</option>
            <option value="warm">{t('warmOrHot')}</option>
          </select>
        </Field>
      );
    case 'abandoned_form':
      return (
        <Field id="audience-form" label={t('formName')} hint={t('formNameHint')} error={fields['rule.form']}>
          <input
            id="audience-form"
            class="input mono"
            maxLength={100}
            value={rule.form}
            onInput={(e) => onChange({ ...rule, form: e.currentTarget.value })}
          />
        </Field>
      );
    case 'viewed_without_lead':
      return (
        <Field id="audience-pattern" label={t('pagePath')} hint={t('pagePathHint')} error={fields['rule.pattern']}>
          <input
            id="audience-pattern"
            class="input mono"
            maxLength={200}
            value={rule.pattern}
            onInput={(e) => onChange({ ...rule, pattern: e.currentTarget.value })}
          />
        </Field>
      );
    case 'page_views':
      return (
        <div class="form-grid-2">
          <Field id="audience-pattern" label={t('pagePath')} hint={t('categoryHint')} error={fields['rule.pattern']}>
            <input
              id="audience-pattern"
              class="input mono"
              maxLength={200}
              value={rule.pattern}
              onInput={(e) => onChange({ ...rule, pattern: e.currentTarget.value })}
            />
          </Field>
          <Field id="audience-min" label={t('atLeast')} error={fields['rule.min']}>
            <div class="input-suffix">
              <input
                id="audience-min"
                class="input"
                type="number"
                min={1}
                max={1000}
                value={rule.min}
                onInput={(e) => onChange({ ...rule, min: Number(e.currentTarget.value) })}
              />
              <span>{t('views')}</span>
            </div>
          </Field>
        </div>
      );
  }
}

function PixelsCard({
  site,
  pixels,
  editable,
  onSaved,
}: {
  site: Site;
  pixels: PixelConfig[];
  editable: boolean;
  onSaved: (pixels: PixelConfig[]) => void;
}) {
  const [kind, setKind] = useState<PixelConfig['kind']>('meta');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (next: PixelConfig[]) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.savePixels(site.id, next));
      setValue('');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const placeholder: Record<PixelConfig['kind'], string> = {
    meta: t('placeholderMeta'),
    gtag: t('placeholderGtag'),
    yandex: t('placeholderYandex'),
    vk: 'VK-RTRG-123456-abcde',
    image: 'https://ads.example/px?seg={segment}&v={visitor}',
  };

  return (
    <section class="card stack" aria-labelledby="pixels-title">
      <h2 class="card-title" id="pixels-title">
        {t('pixels')}
      </h2>
      <p class="card-description">{t('pixelsHint')}</p>
      {error && <Alert>{error}</Alert>}
      {pixels.length === 0 ? (
        <p class="muted">{t('noPixels')}</p>
      ) : (
        <ul class="pixel-list">
          {pixels.map((pixel, index) => (
            <li key={index}>
              <span class="pixel-kind">{t(pixelLabels[pixel.kind])}</span>
              <code class="pixel-target">{pixelTarget(pixel)}</code>
              {editable && (
                <button
                  type="button"
                  class="btn btn-ghost btn-sm"
                  aria-label={t('removeNamed', { name: t(pixelLabels[pixel.kind]) })}
                  disabled={busy}
                  onClick={() => void save(pixels.filter((_, i) => i !== index))}
                >
                  <TrashIcon size={14} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form
          class="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void save([...pixels, pixelFrom(kind, value)]);
          }}
        >
          <Field id="pixel-kind" label={t('addPixelLabel')}>
            <select
              id="pixel-kind"
              class="input select"
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as PixelConfig['kind'])}
            >
              {(Object.keys(pixelLabels) as PixelConfig['kind'][]).map((k) => (
                <option key={k} value={k}>
                  {t(pixelLabels[k])}
                </option>
              ))}
            </select>
          </Field>
          <input
            class="input mono"
            aria-label={t('pixelIdOrUrl')}
            placeholder={placeholder[kind]}
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          {kind === 'image' && (
            <p class="field-hint">{t('placeholders', { list: '{audience} {segment} {visitor} {ts} {rand}' })}</p>
          )}
          <div>
            <button type="submit" class="btn btn-secondary" disabled={busy || (kind !== 'gtag' && !value.trim())}>
              <PlusIcon size={16} /> {t('addPixel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
