import type { ComponentChildren, ComponentType, FunctionComponent } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { XIcon } from './Icons';
import { LoadFailed, lazily } from './LazyPage';
import { t } from './i18n';
import './Dialog.css';

interface DialogProps {
  open: boolean;
  title: string;
  description?: ComponentChildren;
  onClose: () => void;
  children: ComponentChildren;
  /** `md` forms, `lg` wider content. */
  size?: 'md' | 'lg';
}

/**
 * A modal on the native `<dialog>`: the browser gives focus trapping, Escape and the top layer,
 * so no focus-trap library is needed.
 */
export function Dialog({ open, title, description, onClose, children, size = 'md' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes it; the keyboard closes it with Esc (the dialog's cancel event).
    <dialog
      ref={ref}
      class={`dialog dialog-${size}`}
      aria-labelledby="dialog-title"
      onClose={() => open && onClose()}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (event.target === ref.current) onClose();
      }}
    >
      {open && (
        <div class="dialog-body">
          <header class="dialog-header">
            <div>
              <h2 id="dialog-title" class="dialog-title">
                {title}
              </h2>
              {description && <p class="dialog-description">{description}</p>}
            </div>
            <button type="button" class="icon-button" aria-label={t('close')} onClick={onClose}>
              <XIcon />
            </button>
          </header>
          {children}
        </div>
      )}
    </dialog>
  );
}

/**
 * A dialog whose code is fetched the first time it opens, for what most visits never show (the new-site
 * dialog, the transfer dialog): rendered like the dialog itself, with its `open`. Nothing shows while the
 * chunk arrives (a click away); a failed fetch shows the notice and a retry in the dialog.
 */
export function lazyDialog<P extends { open: boolean; onClose(): void }>(
  load: () => Promise<ComponentType<P>>,
  title: () => string,
): FunctionComponent<P> {
  const { useLoaded } = lazily(load);
  return function LazyDialog(props: P) {
    const { Component, failed, retry } = useLoaded(props.open);
    if (Component) return <Component {...props} />;
    return failed && props.open ? (
      <Dialog open title={title()} onClose={props.onClose}>
        <LoadFailed retry={retry} />
      </Dialog>
    ) : null;
  };
}
