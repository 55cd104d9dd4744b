import type { ConversationSummary } from '@beckon/sdk/protocol';
import { UserIcon } from '../../components/Icons';
import { visitorHue } from '../live';

/** Initials (letters and digits only) for a named visitor, a person glyph for an anonymous one; tinted per visitor. */
export function VisitorAvatar({
  visitor,
  size = 'md',
}: {
  visitor: Pick<ConversationSummary['visitor'], 'id' | 'name' | 'email'>;
  size?: 'md' | 'lg';
}) {
  const hue = visitorHue(visitor.id);
  const source = visitor.name?.trim() || visitor.email?.trim().split('@')[0] || '';
  const words = source
    .replace(/[^\p{L}\p{N}\s._-]/gu, ' ')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters =
    words.length > 1
      ? [...words[0]!][0]! + [...words[words.length - 1]!][0]!
      : [...(words[0] ?? '')].slice(0, 1).join('');
  return (
    <span
      class={`visitor-avatar${size === 'lg' ? ' visitor-avatar-lg' : ''}`}
      style={{ background: `hsl(${hue} 55% 92%)`, color: `hsl(${hue} 45% 32%)` }}
      aria-hidden="true"
    >
      {letters ? letters.toUpperCase() : <UserIcon size={size === 'lg' ? 20 : 16} />}
    </span>
  );
}
