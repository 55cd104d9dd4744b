import { shownPhone } from '../lib/format';
import { t } from './i18n';

/** Name, email and phone as the rows of a `<dl>`: mail and call links where given, "Not given" where not. */
export function ContactFacts({
  contact,
}: {
  contact: { name: string | null; email: string | null; phone: string | null };
}) {
  const notGiven = <span class="muted">{t('notGiven')}</span>;
  return (
    <>
      <dt>{t('name')}</dt>
      <dd>{contact.name ?? notGiven}</dd>
      <dt>{t('email')}</dt>
      <dd>{contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : notGiven}</dd>
      <dt>{t('phone')}</dt>
      <dd>{contact.phone ? <a href={`tel:${contact.phone}`}>{shownPhone(contact.phone)}</a> : notGiven}</dd>
    </>
  );
}
