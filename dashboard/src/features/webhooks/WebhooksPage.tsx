import { useEffect, useState } from 'preact/hooks';
import type { Site, WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { LinkIcon, PlusIcon, RetryIcon, SendIcon, TrashIcon } from '../../components/Icons';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { fullTime, shortTime } from '../../lib/format';
import { currentLocale } from '../../lib/i18n';
import { t } from './i18n';
import { deliveryStatusText, eventDescriptions, eventTypes } from './webhooks';

/** The delivery log refreshes while the page is open, so a test event's result shows up by itself. */
const REFRESH_MS = 3_000;

export function WebhooksPage({ site }: { site: Site }) {
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ endpointId: string; value: string } | null>(null);

  const reload = () =>
    api.listWebhooks(site.id).then(
      (list) => {
        setEndpoints(list);
        setSelected((current) =>
          current && list.some((endpoint) => endpoint.id === current) ? current : (list[0]?.id ?? null),
        );
      },
      (caught: unknown) => setError(errorMessage(caught)),
    );

  useEffect(() => {
    setEndpoints(null);
    setSecret(null);
    void reload();
  }, [site.id]);

  const endpoint = endpoints?.find((item) => item.id === selected) ?? null;
  const [descriptionBefore, descriptionAfter] = t('description', { site: '\u0000' }).split('\u0000');
  const [secretBefore, secretAfter] = t('secretStore', { header: '\u0000' }).split('\u0000');

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
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
            <PlusIcon size={16} />
            <span>{t('addEndpoint')}</span>
          </button>
        }
      />
      {error && <Alert>{t('loadFailed', { error })}</Alert>}
      {secret && (
        <div class="alert alert-success webhook-secret" role="status">
          <div>
            <strong>{t('secretShownOnce')}</strong> {secretBefore}
            <code>webhook-signature</code>
            {secretAfter}
            <code class="webhook-secret-value" data-testid="webhook-secret">
              {secret.value}
            </code>
          </div>
          <div class="webhook-secret-actions">
            <CopyButton text={secret.value} label={t('copySecret')} />
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setSecret(null)}>
              {t('done')}
            </button>
          </div>
        </div>
      )}

      {!endpoints && !error && (
        <div class="card">
          <Spinner label={t('loading')} />
        </div>
      )}
      {endpoints && endpoints.length === 0 && (
        <div class="card">
          <EmptyState
            icon={<LinkIcon size={22} />}
            title={t('noEndpoints')}
            actions={
              <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
                <PlusIcon size={16} />
                <span>{t('addEndpoint')}</span>
              </button>
            }
          >
            {t('noEndpointsHint')}
          </EmptyState>
        </div>
      )}
      {endpoints && endpoints.length > 0 && (
        <div class="webhooks-layout">
          <ul class="webhook-list" aria-label={t('endpoints')}>
            {endpoints.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  class={`webhook-item${item.id === selected ? ' active' : ''}`}
                  aria-pressed={item.id === selected}
                  onClick={() => setSelected(item.id)}
                >
                  <span class="webhook-url">{item.url}</span>
                  <span class="webhook-meta">
                    <span class={`status ${item.enabled ? 'status-active' : 'status-invited'}`}>
                      <span class="status-dot" aria-hidden="true" />
                      {item.enabled ? t('enabled') : t('disabled')}
                    </span>
                    <span class="muted">
                      {t('eventCount', { count: item.events.length })}
                      {item.recent.failed > 0 && (
                        <span class="webhook-failed"> · {t('failedCount', { count: item.recent.failed })}</span>
                      )}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {endpoint && (
            <EndpointPanel
              key={endpoint.id}
              site={site}
              endpoint={endpoint}
              onChanged={(next, newSecret) => {
                setEndpoints((list) => list?.map((item) => (item.id === next.id ? next : item)) ?? null);
                if (newSecret) setSecret({ endpointId: next.id, value: newSecret });
              }}
              onDeleted={() => {
                setSecret(null);
                void reload();
              }}
            />
          )}
        </div>
      )}

      <EndpointDialog
        open={creating}
        site={site}
        onClose={() => setCreating(false)}
        onCreated={(created, value) => {
          setCreating(false);
          setEndpoints((list) => [...(list ?? []), created]);
          setSelected(created.id);
          setSecret({ endpointId: created.id, value });
        }}
      />
    </div>
  );
}

function EndpointPanel({
  site,
  endpoint,
  onChanged,
  onDeleted,
}: {
  site: Site;
  endpoint: WebhookEndpoint;
  onChanged: (endpoint: WebhookEndpoint, secret?: string) => void;
  onDeleted: () => void;
}) {
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);

  const load = () =>
    api
      .listWebhookDeliveries(site.id, endpoint.id)
      .then(setDeliveries, (caught: unknown) => setError(errorMessage(caught)));
  useEffect(() => {
    void load();
    const timer = setInterval(() => document.visibilityState === 'visible' && void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [endpoint.id]);

  const act = async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
      await load();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
    }
  };

  const [secretLineBefore, secretLineAfter] = t('secretAdded', {
    secret: '\u0000',
    date: fullTime(endpoint.createdAt, currentLocale()),
  }).split('\u0000');
  return (
    <section class="card webhook-panel" aria-label={t('endpointLabel', { url: endpoint.url })}>
      <header class="webhook-panel-head">
        <div class="webhook-panel-title">
          <h2 class="card-title webhook-url">{endpoint.url}</h2>
          {endpoint.description && <p class="muted">{endpoint.description}</p>}
          <p class="muted">
            {secretLineBefore}
            <code>{endpoint.secretHint}</code>
            {secretLineAfter}
          </p>
        </div>
        <div class="webhook-actions">
          <button
            type="button"
            class="btn btn-secondary btn-sm"
            disabled={busy !== null}
            onClick={() => act('test', () => api.sendTestWebhook(site.id, endpoint.id))}
          >
            <SendIcon size={14} />
            <span>{busy === 'test' ? t('sending') : t('sendTest')}</span>
          </button>
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => setEditing(true)}>
            {t('edit')}
          </button>
          <button
            type="button"
            class="btn btn-secondary btn-sm"
            disabled={busy !== null}
            onClick={() =>
              act('toggle', async () =>
                onChanged((await api.updateWebhook(site.id, endpoint.id, { enabled: !endpoint.enabled })).endpoint),
              )
            }
          >
            {endpoint.enabled ? t('disable') : t('enable')}
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            disabled={busy !== null}
            onClick={() => {
              if (!confirm(t('rotateConfirm'))) return;
              void act('rotate', async () => {
                const result = await api.updateWebhook(site.id, endpoint.id, { rotateSecret: true });
                onChanged(result.endpoint, result.secret);
              });
            }}
          >
            {t('rotateSecret')}
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm btn-danger-text"
            aria-label={t('deleteEndpoint')}
            disabled={busy !== null}
            onClick={() => {
              if (!confirm(t('deleteConfirm', { url: endpoint.url }))) return;
              void act('delete', async () => {
                await api.deleteWebhook(site.id, endpoint.id);
                onDeleted();
              });
            }}
          >
            <TrashIcon size={14} />
          </button>
        </div>
      </header>
      <div class="chips webhook-events">
        {endpoint.events.map((event) => (
          <span class="chip mono" key={event}>
            {event}
          </span>
        ))}
      </div>
      {error && <Alert>{error}</Alert>}

      <h3 class="webhook-log-title">{t('deliveries')}</h3>
      {!deliveries ? (
        <Spinner label={t('loadingDeliveries')} />
      ) : deliveries.length === 0 ? (
        <p class="muted webhook-empty">{t('noDeliveries')}</p>
      ) : (
        <table class="table webhook-table">
          <caption class="sr-only">{t('deliveriesTo', { url: endpoint.url })}</caption>
          <thead>
            <tr>
              <th scope="col" class="col-event">
                {t('event')}
              </th>
              <th scope="col" class="col-state">
                {t('status')}
              </th>
              <th scope="col" class="col-tries">
                {t('attempts')}
              </th>
              <th scope="col" class="col-when">
                {t('created')}
              </th>
              <th scope="col" class="col-actions">
                <span class="sr-only">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <>
                <tr key={delivery.id} data-delivery-id={delivery.id}>
                  <td class="col-event">
                    <button
                      type="button"
                      class="link-button mono"
                      aria-expanded={open === delivery.id}
                      onClick={() => setOpen(open === delivery.id ? null : delivery.id)}
                    >
                      {delivery.eventType}
                    </button>
                  </td>
                  <td class="col-state">
                    <span class={`delivery delivery-${delivery.status}`}>
                      {deliveryStatusText(delivery, Date.now())}
                    </span>
                  </td>
                  <td class="col-tries">{delivery.attempts}</td>
                  <td class="col-when">
                    <span title={fullTime(delivery.createdAt, currentLocale())}>
                      {shortTime(delivery.createdAt, Date.now(), currentLocale())}
                    </span>
                  </td>
                  <td class="col-actions">
                    <button
                      type="button"
                      class="btn btn-ghost btn-sm"
                      disabled={busy !== null || (delivery.status === 'pending' && delivery.attempts === 0)}
                      onClick={() =>
                        act(`redeliver-${delivery.id}`, () => api.redeliverWebhook(site.id, endpoint.id, delivery.id))
                      }
                    >
                      <RetryIcon size={14} />
                      <span>{delivery.status === 'pending' ? t('retryNow') : t('redeliver')}</span>
                    </button>
                  </td>
                </tr>
                {open === delivery.id && (
                  <tr class="webhook-detail-row" key={`${delivery.id}-detail`}>
                    <td colSpan={5}>
                      <div class="webhook-detail">
                        <div>
                          <h4>{t('attempts')}</h4>
                          {delivery.log.length === 0 ? (
                            <p class="muted">{t('notTried')}</p>
                          ) : (
                            <ol class="webhook-attempts">
                              {delivery.log.map((attempt) => (
                                <li key={attempt.at}>
                                  <span class="mono">{fullTime(attempt.at, currentLocale())}</span> ·{' '}
                                  {attempt.statusCode ? `HTTP ${attempt.statusCode}` : t('noAnswer')}
                                  {attempt.error && attempt.error !== `HTTP ${attempt.statusCode}` && (
                                    <> · {attempt.error}</>
                                  )}{' '}
                                  · {attempt.durationMs} ms
                                </li>
                              ))}
                            </ol>
                          )}
                          <p class="muted">
                            <code>webhook-id: {delivery.id}</code>
                          </p>
                        </div>
                        <div>
                          <h4>{t('payload')}</h4>
                          <pre
                            class="code-block webhook-payload"
                            role="region"
                            tabIndex={0}
                            aria-label={t('payloadScrolls')}
                          >
                            {JSON.stringify(delivery.payload, null, 2)}
                          </pre>
                        </div>
                      </div>
                    </td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      )}
      <EndpointDialog
        open={editing}
        site={site}
        endpoint={endpoint}
        onClose={() => setEditing(false)}
        onCreated={() => {}}
        onSaved={(next) => {
          setEditing(false);
          onChanged(next);
        }}
      />
    </section>
  );
}

function EndpointDialog({
  open,
  site,
  endpoint,
  onClose,
  onCreated,
  onSaved,
}: {
  open: boolean;
  site: Site;
  endpoint?: WebhookEndpoint;
  onClose: () => void;
  onCreated: (endpoint: WebhookEndpoint, secret: string) => void;
  onSaved?: (endpoint: WebhookEndpoint) => void;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['lead.created', 'lead.updated']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setUrl(endpoint?.url ?? '');
    setDescription(endpoint?.description ?? '');
    setEvents(endpoint?.events ?? ['lead.created', 'lead.updated']);
    setErrors({});
    setError(null);
  }, [open, endpoint?.id]);

  const toggle = (event: WebhookEventType) =>
    setEvents((list) => (list.includes(event) ? list.filter((item) => item !== event) : [...list, event]));

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    setError(null);
    try {
      if (endpoint) onSaved?.((await api.updateWebhook(site.id, endpoint.id, { url, description, events })).endpoint);
      else {
        const created = await api.createWebhook(site.id, { url, description, events });
        onCreated(created.endpoint, created.secret);
      }
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') setErrors(caught.fieldErrors());
      else setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      open={open}
      title={endpoint ? t('editEndpoint') : t('addEndpoint')}
      description={t('dialogDescription')}
      onClose={onClose}
      size="lg"
    >
      <form class="stack" onSubmit={submit} noValidate>
        <label class="field">
          <span class="field-label">{t('endpointUrl')}</span>
          <input
            class="input"
            type="url"
            required
            placeholder="https://crm.example.com/hooks/beckon"
            value={url}
            maxLength={2000}
            onInput={(e) => setUrl(e.currentTarget.value)}
            aria-invalid={Boolean(errors.url)}
          />
          {errors.url && <span class="field-error">{errors.url}</span>}
        </label>
        <label class="field">
          <span class="field-label">
            {t('descriptionLabel')} <span class="field-optional">{t('optional')}</span>
          </span>
          <input
            class="input"
            value={description}
            maxLength={200}
            placeholder={t('descriptionPlaceholder')}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
        <fieldset class="field webhook-event-choices">
          <legend class="field-label">{t('events')}</legend>
          {eventTypes.map((type) => (
            <label class="webhook-event-choice" key={type}>
              <input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} />
              <span>
                <span class="mono">{type}</span>
                <span class="muted">{t(eventDescriptions[type])}</span>
              </span>
            </label>
          ))}
          {errors.events && <span class="field-error">{errors.events}</span>}
        </fieldset>
        {error && <Alert>{error}</Alert>}
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={saving || events.length === 0}>
            {saving ? t('saving') : endpoint ? t('save') : t('addEndpoint')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
