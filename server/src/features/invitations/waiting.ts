import { sql, type SQL } from 'drizzle-orm';

/**
 * A `left join lateral` that adds `<as>.id`, `<as>.agent_name` and `<as>.message` of the visitor's newest invitation
 * still waiting (sent, not expired; nulls when none) to rows of `<keys>` having `site_id` and `visitor_id`: lets
 * collect answer a batch with the invitation inside its own statement, with no round trip of its own.
 * @example sql`select i.id from … as k(site_id uuid, visitor_id text) ${waitingInvitationJoin('k', 'i')}`
 */
export function waitingInvitationJoin(keys: string, as: string): SQL {
  const k = sql.raw(keys);
  const i = sql.raw(as);
  return sql`left join lateral (
        select c.id, c.agent_name, c.message from chat_invitations c
        where c.site_id = ${k}.site_id and c.visitor_id = ${k}.visitor_id and c.state = 'sent' and c.expires_at > now()
        order by c.created_at desc limit 1
      ) ${i} on true`;
}
