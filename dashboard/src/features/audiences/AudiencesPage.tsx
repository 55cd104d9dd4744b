import { useState } from 'preact/hooks';
import type { Audience, AudienceInput, AudienceRule, PixelConfig, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PlusIcon, TrashIcon } from '../../components/Icons';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { useSession } from '../../session';
import { useSiteList } from '../sites';
import { defaultRule, describeRule, pixelFrom, pixelLabels, pixelTarget, ruleKinds, segmentFromName, type RuleKind } from './rules';

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
    if (confirm(`Delete the audience “${audience.name}”? Its members are forgotten.`)) await change(() => api.deleteAudience(site.id, audience.id));
  };

  return (
    <div class="page">
      <PageHeader
        title="Audiences"
        description={
          <>
            Segments of <strong>{site.name}</strong>'s visitors for retargeting. A visitor who gave <em>marketing</em> consent (and sends no Global
            Privacy Control signal) enters an audience once; the loader then fires your pixels and writes the <code>bk_seg</code> cookie your own ad
            tags can read.
          </>
        }
      />
      {error && <Alert>{error}</Alert>}
      <div class="page-grid">
        <div class="stack-lg">
          <section class="card card-flush" aria-labelledby="audiences-title">
            <div class="card-header audience-card-header">
              <h2 class="card-title" id="audiences-title">
                Segments
              </h2>
            </div>
            {audiences === null ? (
              <Spinner />
            ) : audiences.length === 0 ? (
              <EmptyState title="No audiences yet">Add one below, for example “viewed pricing but sent no lead”.</EmptyState>
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
                      <th scope="col">Audience</th>
                      <th scope="col" class="rule-head">
                        Rule
                      </th>
                      <th scope="col" class="num">
                        Members
                      </th>
                      <th scope="col">Status</th>
                      {isAdmin && (
                        <th scope="col">
                          <span class="sr-only">Actions</span>
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
                            {audience.pixels ? <>Fires “{audience.eventName}”</> : 'No pixels (server hook only)'}
                          </div>
                        </td>
                        <td class="num">{audience.members}</td>
                        <td>
                          {isAdmin ? (
                            <label class="switch" title={audience.enabled ? 'On' : 'Off'}>
                              <input type="checkbox" role="switch" aria-label={`${audience.name} enabled`} checked={audience.enabled} onChange={() => void toggle(audience)} />
                              <span class="switch-track" aria-hidden="true" />
                            </label>
                          ) : (
                            <span class={`badge ${audience.enabled ? 'badge-accent' : 'badge-neutral'}`}>{audience.enabled ? 'On' : 'Off'}</span>
                          )}
                        </td>
                        {isAdmin && (
                          <td class="actions">
                            <button type="button" class="btn btn-ghost btn-sm" aria-label={`Delete ${audience.name}`} onClick={() => void remove(audience)}>
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
    const input: AudienceInput = { name: name.trim(), segment: slug, rule, eventName: eventName.trim() || `beckon_${slug.replace(/-/g, '_')}`, pixels, enabled: true };
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
        New audience
      </h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid-2">
        <Field id="audience-name" label="Name" error={fields.name}>
          <input id="audience-name" class="input" maxLength={80} value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </Field>
        <Field id="audience-segment" label="Segment" hint="Goes into the bk_seg cookie." error={fields.segment}>
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
      <Field id="audience-kind" label="Visitors who…">
        <select id="audience-kind" class="input select" value={rule.kind} onChange={(e) => setRule(defaultRule(e.currentTarget.value as RuleKind))}>
          {ruleKinds.map(({ kind, label }) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <RuleFields rule={rule} onChange={setRule} fields={fields} />
      <div class="form-grid-2">
        <Field id="audience-event" label="Pixel event name" optional hint="Meta custom event, gtag event, Yandex goal, VK event." error={fields.eventName}>
          <input id="audience-event" class="input mono" maxLength={100} placeholder={`beckon_${slug.replace(/-/g, '_') || 'segment'}`} value={eventName} onInput={(e) => setEventName(e.currentTarget.value)} />
        </Field>
        <label class="switch-row audience-pixels-switch">
          <span class="switch">
            <input type="checkbox" role="switch" checked={pixels} onChange={(e) => setPixels(e.currentTarget.checked)} />
            <span class="switch-track" aria-hidden="true" />
          </span>
          <span class="switch-text">
            <span class="switch-title">Fire pixels</span>
            <span class="switch-description">Off: only the server-side hook hears about entries.</span>
          </span>
        </label>
      </div>
      <div>
        <button type="submit" class="btn btn-primary" disabled={busy || !name.trim() || !slug}>
          <PlusIcon size={16} /> {busy ? 'Adding…' : 'Add audience'}
        </button>
      </div>
    </form>
  );
}

function RuleFields({ rule, onChange, fields }: { rule: AudienceRule; onChange: (rule: AudienceRule) => void; fields: Record<string, string> }) {
  switch (rule.kind) {
    case 'temperature':
      return (
        <Field id="audience-temperature" label="Temperature">
          <select id="audience-temperature" class="input select" value={rule.temperature} onChange={(e) => onChange({ ...rule, temperature: e.currentTarget.value as 'hot' | 'warm' })}>
            <option value="hot">Hot</option>
            <option value="warm">Warm or hot</option>
          </select>
        </Field>
      );
    case 'abandoned_form':
      return (
        <Field id="audience-form" label="Form name or id" hint="The form's name/id (or a tracked event of that name)." error={fields['rule.form']}>
          <input id="audience-form" class="input mono" maxLength={100} value={rule.form} onInput={(e) => onChange({ ...rule, form: e.currentTarget.value })} />
        </Field>
      );
    case 'viewed_without_lead':
      return (
        <Field id="audience-pattern" label="Page path" hint="* matches anything, e.g. /pricing* or *product*." error={fields['rule.pattern']}>
          <input id="audience-pattern" class="input mono" maxLength={200} value={rule.pattern} onInput={(e) => onChange({ ...rule, pattern: e.currentTarget.value })} />
        </Field>
      );
    case 'page_views':
      return (
        <div class="form-grid-2">
          <Field id="audience-pattern" label="Page path" hint="e.g. /shoes/* for a category." error={fields['rule.pattern']}>
            <input id="audience-pattern" class="input mono" maxLength={200} value={rule.pattern} onInput={(e) => onChange({ ...rule, pattern: e.currentTarget.value })} />
          </Field>
          <Field id="audience-min" label="At least" error={fields['rule.min']}>
            <div class="input-suffix">
              <input id="audience-min" class="input" type="number" min={1} max={1000} value={rule.min} onInput={(e) => onChange({ ...rule, min: Number(e.currentTarget.value) })} />
              <span>views</span>
            </div>
          </Field>
        </div>
      );
  }
}

function PixelsCard({ site, pixels, editable, onSaved }: { site: Site; pixels: PixelConfig[]; editable: boolean; onSaved: (pixels: PixelConfig[]) => void }) {
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
    meta: 'Pixel id, e.g. 1234567890',
    gtag: 'send_to, e.g. AW-123456789/abc (optional)',
    yandex: 'Counter id, e.g. 98765432',
    vk: 'VK-RTRG-123456-abcde',
    image: 'https://ads.example/px?seg={segment}&v={visitor}',
  };

  return (
    <section class="card stack" aria-labelledby="pixels-title">
      <h2 class="card-title" id="pixels-title">
        Pixels
      </h2>
      <p class="card-description">Fired in the visitor's browser when they enter an audience, only with marketing consent and never under GPC.</p>
      {error && <Alert>{error}</Alert>}
      {pixels.length === 0 ? (
        <p class="muted">No pixels: entries reach only the server-side hook.</p>
      ) : (
        <ul class="pixel-list">
          {pixels.map((pixel, index) => (
            <li key={index}>
              <span class="pixel-kind">{pixelLabels[pixel.kind]}</span>
              <code class="pixel-target">{pixelTarget(pixel)}</code>
              {editable && (
                <button type="button" class="btn btn-ghost btn-sm" aria-label={`Remove ${pixelLabels[pixel.kind]}`} disabled={busy} onClick={() => void save(pixels.filter((_, i) => i !== index))}>
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
          <Field id="pixel-kind" label="Add a pixel">
            <select id="pixel-kind" class="input select" value={kind} onChange={(e) => setKind(e.currentTarget.value as PixelConfig['kind'])}>
              {(Object.keys(pixelLabels) as PixelConfig['kind'][]).map((k) => (
                <option key={k} value={k}>
                  {pixelLabels[k]}
                </option>
              ))}
            </select>
          </Field>
          <input class="input mono" aria-label="Pixel id or URL" placeholder={placeholder[kind]} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          {kind === 'image' && <p class="field-hint">Placeholders: {'{audience} {segment} {visitor} {ts} {rand}'}</p>}
          <div>
            <button type="submit" class="btn btn-secondary" disabled={busy || (kind !== 'gtag' && !value.trim())}>
              <PlusIcon size={16} /> Add pixel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
