import { channelSignals, deviceClasses, type RuleCondition } from '@beckon/sdk/protocol';
import { comparisonLabels, deviceLabels, signalLabels, totalMetricLabels } from './rules';

type Of<K extends RuleCondition['kind']> = Extract<RuleCondition, { kind: K }>;
interface FieldsProps<K extends RuleCondition['kind']> {
  condition: Of<K>;
  invalid: (path: string) => boolean;
  onChange: (condition: RuleCondition) => void;
}

const valueOf = (event: Event) => (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
const wholeNumber = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));
const offline = 'offline';

/** A channel signal from the list, or an offline one by name (what `POST /api/sites/:id/signals` records). */
export function SignalFields({ condition, invalid, onChange }: FieldsProps<'signal'>) {
  const isChannel = (channelSignals as readonly string[]).includes(condition.signal);
  return (
    <>
      <select
        class="input select input-sm"
        aria-label="Signal"
        value={isChannel ? condition.signal : offline}
        onChange={(event) => {
          const value = valueOf(event);
          onChange({ ...condition, signal: value === offline ? 'deal_won' : value });
        }}
      >
        {Object.entries(signalLabels).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
        <option value={offline}>Offline signal…</option>
      </select>
      {!isChannel && (
        <>
          <input
            class="input input-sm"
            value={condition.signal}
            placeholder="deal_won"
            aria-label="Offline signal name"
            aria-invalid={invalid('signal') || undefined}
            onInput={(event) => onChange({ ...condition, signal: valueOf(event).trim() })}
          />
          <span class="condition-word">amount ≥</span>
          <input
            class="input input-sm condition-min"
            type="number"
            min={0}
            value={condition.minAmount ?? ''}
            placeholder="any"
            aria-label="Minimum amount (optional)"
            onInput={(event) => {
              const amount = wholeNumber(valueOf(event));
              onChange({ ...condition, minAmount: Number.isNaN(amount) ? undefined : amount });
            }}
          />
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
        aria-label="Total"
        value={condition.metric}
        onChange={(event) => onChange({ ...condition, metric: valueOf(event) as Of<'total'>['metric'] })}
      >
        {Object.entries(totalMetricLabels).map(([metric, { label }]) => (
          <option key={metric} value={metric}>
            {label}
          </option>
        ))}
      </select>
      <select
        class="input select input-sm condition-op"
        aria-label="Comparison"
        value={condition.op}
        onChange={(event) => onChange({ ...condition, op: valueOf(event) as Of<'total'>['op'] })}
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
        aria-label={`Value (${totalMetricLabels[condition.metric].unit})`}
        aria-invalid={invalid('value') || undefined}
        onInput={(event) => onChange({ ...condition, value: wholeNumber(valueOf(event)) })}
      />
      <span class="condition-word">{totalMetricLabels[condition.metric].unit}</span>
    </>
  );
}

/** Which form: its `data-beckon-form`, name or id, as a glob (empty: any form). */
export function FormFields({ condition, invalid, onChange }: FieldsProps<'form'>) {
  return (
    <input
      class="input input-sm"
      value={condition.pattern ?? ''}
      placeholder="any form, or e.g. contact*"
      aria-label="Form name pattern (optional)"
      aria-invalid={invalid('pattern') || undefined}
      onInput={(event) => {
        const pattern = valueOf(event).trim();
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
      onInput={(event) => onChange({ ...condition, [key]: valueOf(event) })}
    />
  );
  return (
    <>
      {field('name', 'plan-selected', 'Event name')}
      <span class="condition-word">with</span>
      {field('prop', 'plan', 'Property')}
      <span class="condition-word">=</span>
      {field('value', 'pro', 'Property value')}
    </>
  );
}

export function DeviceFields({ condition, onChange }: FieldsProps<'device'>) {
  return (
    <select
      class="input select input-sm"
      aria-label="Device"
      value={condition.device}
      onChange={(event) => onChange({ ...condition, device: valueOf(event) as Of<'device'>['device'] })}
    >
      {deviceClasses.map((device) => (
        <option key={device} value={device}>
          {deviceLabels[device]}
        </option>
      ))}
    </select>
  );
}
