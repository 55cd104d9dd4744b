import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ScoreExplanation, Temperature } from '@beckon/sdk/protocol';
import { explanationText, halfLifeText, signed, temperatureLabel } from './explain';
import { t } from './i18n';

interface TemperatureBadgeProps {
  temperature: Temperature;
  score: number;
  explanation: ScoreExplanation;
  /** Smaller badge for dense tables. */
  size?: 'sm' | 'md';
}

/**
 * Hot / warm / cold with its reasons. The badge is a button: hover, focus or click opens the
 * explanation; Escape or clicking elsewhere closes it. Screen readers get the whole explanation as
 * the button's description, so it is heard without opening anything.
 */
export function TemperatureBadge({ temperature, score, explanation, size = 'md' }: TemperatureBadgeProps) {
  const [pinned, setPinned] = useState(false);
  const [hovered, setHovered] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  const popoverId = useId();
  const open = pinned || hovered;

  useEffect(() => {
    if (!pinned) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setPinned(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [pinned]);

  const summary = explanationText(score, explanation);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hover shows the explanation; the button inside is the keyboard path, Esc here closes it.
    <span
      class="temp"
      ref={root}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setPinned(false);
          setHovered(false);
        }
      }}
    >
      <button
        type="button"
        class={`temp-badge temp-${temperature} temp-${size}`}
        aria-expanded={open}
        aria-controls={popoverId}
        aria-label={t('badgeAria', { temperature: temperatureLabel(temperature), summary })}
        onClick={() => setPinned((value) => !value)}
        onFocus={() => setHovered(true)}
        onBlur={(event) => {
          if (!root.current?.contains(event.relatedTarget as Node)) setHovered(false);
        }}
      >
        <span class="temp-dot" aria-hidden="true" />
        <span>{temperatureLabel(temperature)}</span>
        <span class="temp-score" aria-hidden="true">
          {Math.round(score)}
        </span>
      </button>
      <span id={popoverId} class="temp-popover" role="tooltip" hidden={!open}>
        <span class="temp-popover-title">
          {t('pointsTitle', { points: Math.round(score), temperature: temperatureLabel(temperature) })}
        </span>
        {explanation.lines.length === 0 ? (
          <span class="temp-popover-empty">{t('noRuleMatchedYet')}</span>
        ) : (
          <span class="temp-lines">
            {explanation.lines.map((line) => (
              <span class="temp-line" key={line.ruleId}>
                <span class="temp-line-label">
                  {line.label}
                  {line.count > 1 && <span class="temp-line-count"> ×{line.count}</span>}
                </span>
                <span class={`temp-line-points${line.total < 0 ? ' negative' : ''}`}>{signed(line.total)}</span>
              </span>
            ))}
            {Math.round(explanation.decay) !== 0 && (
              <span class="temp-line temp-line-decay">
                <span class="temp-line-label">
                  {t('decayedLine', { halfLife: halfLifeText(explanation.halfLifeDays) })}
                </span>
                <span class="temp-line-points negative">{signed(explanation.decay)}</span>
              </span>
            )}
          </span>
        )}
      </span>
    </span>
  );
}
