import type { Site } from '@beckon/sdk/protocol';
import { SiteAvatar } from '../../components/SiteSwitcher';
import { t } from './i18n';

/** Checkbox list of sites (for invites and for editing a member's access). */
export function SitePicker({
  id,
  sites,
  selected,
  onChange,
}: {
  id: string;
  sites: Site[];
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  if (sites.length === 0) return <p class="muted">{t('noSitesYet')}</p>;
  const all = sites.every((site) => selected.includes(site.id));
  return (
    <div class="site-picker" id={id}>
      <div class="site-picker-head">
        <span class="muted">{t('selectedOf', { selected: selected.length, count: sites.length })}</span>
        <button type="button" class="link-button" onClick={() => onChange(all ? [] : sites.map((site) => site.id))}>
          {all ? t('clear') : t('selectAll')}
        </button>
      </div>
      <ul class="site-picker-list">
        {sites.map((site) => {
          const checked = selected.includes(site.id);
          return (
            <li key={site.id}>
              <label class={`site-option${checked ? ' selected' : ''}`}>
                <input
                  type="checkbox"
                  checked={checked}
                  onChange={() => onChange(checked ? selected.filter((x) => x !== site.id) : [...selected, site.id])}
                />
                <SiteAvatar site={site} />
                <span class="site-option-text">
                  <span class="site-option-name">{site.name}</span>
                  <span class="site-option-key">{site.key}</span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
