import type { RuleCondition } from '@beckon/sdk/protocol';
import { deviceClasses } from '@beckon/sdk/protocol/constants';
import { t } from './i18n';
import { comparisonLabels, deviceLabel, signalLabel, signals, totalMetricLabel, totalMetricsList } from './rules';

type Of<K extends RuleCondition['kind']> = Extract<RuleCondition, { kind: K }>;
interface FieldsProps<K extends RuleCondition['kind']> {
  condition: Of<K>;
  invalid: (path: string) => boolean;
  onChange: (condition: RuleCondition) => void;
}

const inputValue = (event: Event) => (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
const wholeNumber = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));
const offline = 'offline';

/** A channel signal from the list, or an offline one by name (what `POST /api/sites/:id/signals` records). */
export function SignalFields({ condition, invalid, onChange }: FieldsProps<'signal'>) {
  const isChannel = (signals as readonly string[]).includes(condition.signal);
  return (
    <>
      <select
        class="input select input-sm"
        aria-label={t('signalSelect')}
        value={isChannel ? condition.signal : offline}
        onChange={(event) => {
          const value = inputValue(event);
          onChange({ ...condition, signal: value === offline ? 'deal_won' : value });
        }}
      >
        {signals.map((value) => (
          <option key={value} value={value}>
            {signalLabel(value)}
          </option>
        ))}
        <option value={offline}>{t('offlineSignalOption')}</option>
      </select>
      {!isChannel && (
        <>
          <input
            class="input input-sm"
            value={condition.signal}
            placeholder="deal_won"
            aria-label={t('offlineSignalName')}
            aria-invalid={invalid('signal') || undefined}
            onInput={(event) => onChange({ ...condition, signal: inputValue(event).trim() })}
          />
          <span class="condition-amount">
            <span class="condition-word">{t('amountAtLeast')}</span>
            <input
              class="input input-sm condition-min"
              type="number"
              min={0}
              value={condition.minAmount ?? ''}
              placeholder={t('amountAny')}
              aria-label={t('minAmount')}
              onInput={(event) => {
                const amount = wholeNumber(inputValue(event));
                onChange({ ...condition, minAmount: Number.isNaN(amount) ? undefined : amount });
              }}
            />
          </span>
        </>
      )}
    </>
  );
}

/** Totals across visits, compared either way: "time on site, all visits < 10 s" is a bounce. */
export function TotalFields({ condition, invalid, onChange }: FieldsProps<'total'>) {
  return (
    <>
      <select
        class="input select input-sm"
        aria-label={t('totalSelect')}
        value={condition.metric}
        onChange={(event) => onChange({ ...condition, metric: inputValue(event) as Of<'total'>['metric'] })}
      >
        {totalMetricsList.map((metric) => (
          <option key={metric} value={metric}>
            {totalMetricLabel(metric).label}
          </option>
        ))}
      </select>
      <span class="condition-amount">
        <select
          class="input select input-sm condition-op"
          aria-label={t('comparisonOp')}
          value={condition.op}
          onChange={(event) => onChange({ ...condition, op: inputValue(event) as Of<'total'>['op'] })}
        >
          {Object.entries(comparisonLabels).map(([op, label]) => (
            <option key={op} value={op}>
              {label}
            </option>
          ))}
        </select>
        <input
          class="input input-sm condition-min"
          type="number"
          min={0}
          value={Number.isNaN(condition.value) ? '' : condition.value}
          aria-label={t('valueIn', { unit: totalMetricLabel(condition.metric).unit })}
          aria-invalid={invalid('value') || undefined}
          onInput={(event) => onChange({ ...condition, value: wholeNumber(inputValue(event)) })}
        />
        <span class="condition-word">{totalMetricLabel(condition.metric).unit}</span>
      </span>
    </>
  );
}

/** Which form: its `data-beckon-form`, name or id, as a glob (empty: any form). */
export function FormFields({ condition, invalid, onChange }: FieldsProps<'form'>) {
  return (
    <input
      class="input input-sm"
      value={condition.pattern ?? ''}
      placeholder={t('formPatternPlaceholder')}
      aria-label={t('formPattern')}
      aria-invalid={invalid('pattern') || undefined}
      onInput={(event) => {
        const pattern = inputValue(event).trim();
        onChange({ ...condition, pattern: pattern || undefined });
      }}
    />
  );
}

export function EventPropFields({ condition, invalid, onChange }: FieldsProps<'event_prop'>) {
  const field = (key: 'name' | 'prop' | 'value', placeholder: string, label: string) => (
    <input
      class="input input-sm"
      value={condition[key]}
      placeholder={placeholder}
      aria-label={label}
      aria-invalid={invalid(key) || undefined}
      onInput={(event) => onChange({ ...condition, [key]: inputValue(event) })}
    />
  );
  return (
    <>
      {field('name', 'plan-selected', t('eventName'))}
      <span class="condition-word">{t('propWith')}</span>
      {field('prop', 'plan', t('property'))}
      <span class="condition-word">=</span>
      {field('value', 'pro', t('propertyValue'))}
    </>
  );
}

export function DeviceFields({ condition, onChange }: FieldsProps<'device'>) {
  return (
    <select
      class="input select input-sm"
      aria-label={t('kindDevice')}
      value={condition.device}
      onChange={(event) => onChange({ ...condition, device: inputValue(event) as Of<'device'>['device'] })}
    >
      {deviceClasses.map((device) => (
        <option key={device} value={device}>
          {deviceLabel(device)}
        </option>
      ))}
    </select>
  );
}
