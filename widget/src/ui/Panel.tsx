import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface PanelProps {
  /** Extra class (`bk-chat` for the chat view). */
  class?: string;
  /** Id of the element naming the dialog. */
  labelledBy: string;
  describedBy?: string;
  onClose(): void;
  children: ComponentChildren;
}

const focusable =
  'button:not([disabled]),[href],input:not([disabled]),select,textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

/** The open widget's frame: a modal dialog for assistive tech that keeps Tab inside and closes on Escape. */
export function Panel({ class: className, labelledBy, describedBy, onClose, children }: PanelProps) {
  const ref = useRef<HTMLDivElement>(null);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    const panel = ref.current;
    if (event.key !== 'Tab' || !panel) return;
    const items = Array.from(panel.querySelectorAll<HTMLElement>(focusable));
    const first = items[0];
    const last = items[items.length - 1];
    const active = (panel.getRootNode() as ShadowRoot | Document).activeElement;
    if (!first || !last) return;
    if (event.shiftKey && (active === first || active === panel)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div
      ref={ref}
      class={className ? `bk-panel ${className}` : 'bk-panel'}
      role="dialog"
      aria-modal="true"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      {children}
    </div>
  );
}
