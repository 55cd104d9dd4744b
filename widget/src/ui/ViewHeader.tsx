import { Icon } from './Icon.js';
import { closeLabel } from './strings.js';

export interface ViewHeaderProps {
  id: string;
  title: string;
  subtitle?: string;
  language: string;
  backLabel: string;
  onBack(): void;
  onClose(): void;
}

/** The header of the callback and feedback views: back to the panel home, title, close. */
export function ViewHeader({ id, title, subtitle, language, backLabel, onBack, onClose }: ViewHeaderProps) {
  return (
    <div class="bk-chead">
      <button type="button" class="bk-ib" aria-label={backLabel} onClick={onBack}>
        <Icon name="back" />
      </button>
      <div class="bk-who">
        <h2 id={id} class="bk-cname">
          {title}
        </h2>
        {subtitle && <p class="bk-cstatus">{subtitle}</p>}
      </div>
      <button type="button" class="bk-ib" aria-label={closeLabel(language)} onClick={onClose}>
        <Icon name="close" />
      </button>
    </div>
  );
}
