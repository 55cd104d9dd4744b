import type { ComponentChildren } from 'preact';
import type { PersonRef } from '@beckon/sdk/protocol';
import { Link } from './Link';
import { shownName } from '../lib/format';
import { personPath } from '../lib/paths';

/** A person's one display name, linking to their page; plain text until the visitor is a person. */
export function PersonLink({
  siteKey,
  person,
  fallback,
  class: className,
}: {
  siteKey: string;
  person: PersonRef | null | undefined;
  fallback: ComponentChildren;
  class?: string;
}) {
  if (!person) return <span class={className}>{fallback}</span>;
  return (
    <Link
      class={['person-link', className].filter(Boolean).join(' ')}
      to={personPath(siteKey, person.id)}
      onClick={(event: MouseEvent) => event.stopPropagation()}
    >
      {shownName(person.name)}
    </Link>
  );
}
