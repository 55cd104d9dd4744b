import type { ReplyDelivery } from '@beckon/sdk/protocol';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { AlertIcon, SendIcon } from '../../components/Icons';
import { useLive } from '../../live';
import { t } from './i18n';

/** How often the notice asks again whether the visitor is still on the site. */
const recheckMs = 20_000;

/**
 * Above the reply box while the visitor is not in the chat: says before sending whether the reply will
 * be emailed to them, or cannot reach them until they come back (no email given, or no SMTP server).
 */
export function ReplyDeliveryNotice({ conversationId, visitorName }: { conversationId: string; visitorName: string }) {
  const live = useLive();
  const [delivery, setDelivery] = useState<ReplyDelivery | null>(null);

  useEffect(() => {
    let cancelled = false;
    setDelivery(null);
    const load = () =>
      api.replyDelivery(conversationId).then(
        (next) => !cancelled && setDelivery(next),
        () => {},
      );
    void load();
    const timer = setInterval(load, recheckMs);
    // A message from the visitor means they are back (or just left a new one): ask again at once.
    const offs = [
      live.on(
        'messageNew',
        (message) => message.conversationId === conversationId && message.author === 'visitor' && void load(),
      ),
      live.on('connect', () => void load()),
    ];
    return () => {
      cancelled = true;
      clearInterval(timer);
      for (const off of offs) off();
    };
  }, [conversationId, live.on]);

  if (!delivery || delivery.mode === 'live') return null;
  if (delivery.mode === 'email') {
    return (
      <p class="reply-delivery reply-delivery-email" role="status">
        <SendIcon size={14} />
        <span>
          {t('leftEmailBefore', { name: visitorName })}{' '}
          <strong>{t('leftEmailStrong', { email: delivery.email ?? '' })}</strong> {t('leftEmailAfter')}
        </span>
      </p>
    );
  }
  return (
    <p class="reply-delivery reply-delivery-warn" role="status">
      <AlertIcon size={14} />
      <span>
        {delivery.mode === 'no_smtp'
          ? t('leftNoSmtp', { name: visitorName, email: delivery.email ?? '' })
          : t('leftNoEmail', { name: visitorName })}
      </span>
    </p>
  );
}
