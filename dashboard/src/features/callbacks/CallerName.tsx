import type { Callback } from '@beckon/sdk/protocol';
import { displayName } from '@beckon/sdk/protocol/constants';
import { Link } from '../../components/Link';
import { PersonLink } from '../../components/PersonLink';
import { shownName, shownPhone } from '../../lib/format';
import { personPath } from '../../lib/paths';
import { t } from './i18n';

/**
 * Who asked, beside their number in a queue row: their name, linking to their person page. A caller known
 * only by the number (no name given) is named by it, so the row would say the number twice: it says
 * "Person page" instead, or nothing before they are a person.
 */
export function CallerName({ siteKey, callback }: { siteKey: string; callback: Callback }) {
  const name = shownName(callback.person?.name ?? displayName(callback, callback.id));
  if (name !== shownPhone(callback.phone))
    return <PersonLink class="cbq-name" siteKey={siteKey} person={callback.person} fallback={name} />;
  if (!callback.person) return null;
  return (
    <Link
      class="cbq-person-page"
      to={personPath(siteKey, callback.person.id)}
      onClick={(event: MouseEvent) => event.stopPropagation()}
    >
      {t('personPage')}
    </Link>
  );
}
