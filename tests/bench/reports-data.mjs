// A year of one busy site, generated inside PostgreSQL (INSERT … SELECT generate_series: no rows cross the wire,
// so 5 million events take a minute, not an hour). Used by `npm run bench:reports`; not a test fixture — the
// numbers are plausible, not hand-counted. Every row is written the way the app writes it (same tables and
// columns, same links between them), so the reports read what a real year would leave behind.
//
// Sizes at scale 1 (the floor): 5,000,000 events, 300,000 visitors (600,000 visits), 100,000
// conversations with 1,000,000 messages, 30,000 callbacks, 20,000 feedback answers, 50,000 leads, 20 agents.

/** Row counts for a scale factor (1 = the benchmark's year; 0.02 is a quick smoke run). */
export function sizesFor(scale) {
  const n = (full) => Math.max(1, Math.round(full * scale));
  return {
    agents: 20,
    visitors: n(300_000),
    visits: n(600_000),
    events: n(5_000_000),
    conversations: n(100_000),
    messagesPerConversation: 10,
    callbacks: n(30_000),
    feedback: n(20_000),
    leads: n(50_000),
    invitations: n(10_000),
  };
}

/**
 * Statements that fill the site's year, in order. Times are spread over the 365 days before `now`, weighted to
 * working hours (a random hour between 07:00 and 22:00 UTC, denser in the middle), so hour-of-week views have a
 * shape. `setseed` makes two runs generate the same data.
 */
export function yearOfData(siteId, sizes) {
  const site = `'${siteId}'::uuid`;
  // A moment in the last year: a whole day back, then an hour of the working day (07–22 UTC).
  const moment = `(date_trunc('day', now()) - floor(random() * 365) * interval '1 day' + (7 + 15 * (0.5 + (random() - 0.5) * random())) * interval '1 hour')`;
  return [
    'select setseed(0.42)',
    // Agents on the site.
    `create temp table bench_agents as
       select g as n, gen_random_uuid() as id from generate_series(1, ${sizes.agents}) g`,
    'analyze bench_agents',
    `insert into agents (id, email, name, role)
       select id, 'bench-agent-' || n || '@example.test', 'Agent ' || n, 'agent' from bench_agents`,
    `insert into site_members (site_id, agent_id) select ${site}, id from bench_agents`,
    // Visitors and their visits: sources are a mix of paid search, paid social, organic, referrals and direct.
    `create temp table bench_visits as
       select g as n, 1 + floor(random() * ${sizes.visitors})::int as visitor, ${moment} as started_at,
              floor(random() * 100)::int as source
       from generate_series(1, ${sizes.visits}) g`,
    'create unique index on bench_visits (n)',
    'analyze bench_visits',
    `insert into visitors (site_id, visitor_id, first_seen_at, last_seen_at, visit_count, current_url, score, temperature)
       select ${site}, 'v' || visitor, min(started_at), max(started_at) + interval '10 minutes', count(*),
              'https://shop.example/', (random() * 60)::int,
              (array['cold','cold','cold','warm','hot'])[1 + floor(random() * 5)::int]
       from bench_visits group by visitor`,
    `insert into visitor_sessions (site_id, visitor_id, number, started_at, last_seen_at, landing_url, referrer_domain,
                                   utm, click_id_type, pageviews, engaged_ms)
       select ${site}, 'v' || visitor, row_number() over (partition by visitor order by started_at), started_at,
              started_at + (random() * 20) * interval '1 minute', 'https://shop.example/',
              case when source < 30 then 'www.google.com' when source < 40 then 'm.facebook.com'
                   when source < 60 then 'www.google.com' when source < 70 then 'blog.example.org' end,
              case when source < 30 then jsonb_build_object('source', 'google', 'medium', 'cpc',
                                                            'campaign', 'search-' || (source % 5))
                   when source < 40 then jsonb_build_object('source', 'facebook', 'medium', 'paid_social',
                                                            'campaign', 'retarget-' || (source % 3))
                   else '{}'::jsonb end,
              case when source < 30 then 'gclid' when source < 40 then 'fbclid' end,
              1 + floor(random() * 8)::int, floor(random() * 600000)::int
       from bench_visits`,
    // Five proactive triggers; the widget reports each one shown, accepted or dismissed as a `trigger:*` event.
    `create temp table bench_triggers as
       select g - 1 as n, gen_random_uuid() as id from generate_series(1, 5) g`,
    `insert into trigger_rules (id, site_id, name, conditions, action, frequency)
       select id, ${site}, 'Trigger ' || (n + 1), jsonb_build_object('timeOnPage', 20 + 10 * n),
              jsonb_build_object('kind', 'chat', 'message', 'Need a hand?'), '{"kind":"session"}'::jsonb
       from bench_triggers`,
    // Behaviour events: pageviews, engagement and now and then a tracked event, each in one of the visits.
    `insert into events (site_id, client_event_id, visitor_id, session_id, type, url, title, name, props, occurred_at,
                         received_at)
       select ${site}, 'e' || g, 'v' || v.visitor, 's' || v.n,
              case when g % 10 < 6 then 'pageview' when g % 10 < 9 then 'engagement' else 'track' end,
              'https://shop.example/p/' || (g % 500), 'Product ' || (g % 500),
              case when g % 10 <> 9 then null when g % 100 = 9 then 'trigger:shown'
                   when g % 1000 = 19 then 'trigger:accepted' when g % 1000 = 29 then 'trigger:dismissed'
                   else 'add-to-cart' end,
              case when g % 100 = 9 or g % 1000 in (19, 29)
                   then jsonb_build_object('trigger', (select id from bench_triggers where n = (g / 100) % 5)) end,
              v.started_at + (g % 17) * interval '20 seconds', v.started_at + (g % 17) * interval '20 seconds'
       from generate_series(1, ${sizes.events}) g
       join bench_visits v on v.n = 1 + (g::bigint * 7919) % ${sizes.visits}`,
    // Conversations: a chat visitor each, most answered and closed, some missed, some offline messages.
    `create temp table bench_conversations as
       select g as n, gen_random_uuid() as id, gen_random_uuid() as chat_visitor_id,
              1 + floor(random() * ${sizes.visitors})::int as visitor, ${moment} as created_at,
              (select id from bench_agents where n = 1 + (g % ${sizes.agents})) as agent_id,
              random() < 0.06 as missed, random() < 0.08 as offline,
              (30 + random() * random() * 600) * interval '1 second' as first_reply
       from generate_series(1, ${sizes.conversations}) g`,
    'create unique index on bench_conversations (n)',
    'analyze bench_conversations',
    `insert into chat_visitors (id, site_id, token_hash, name, email, current_url, tracker_visitor_ids, created_at, last_seen_at)
       select chat_visitor_id, ${site}, 'bench-token-' || n, 'Visitor ' || n, 'visitor' || n || '@example.test',
              'https://shop.example/', jsonb_build_array('v' || visitor), created_at, created_at
       from bench_conversations`,
    `insert into conversations (id, site_id, chat_visitor_id, status, channel, assignee_id, last_seq, agent_read_seq,
                                visitor_read_seq, csat_rating, csat_comment, created_at, last_message_at, closed_at,
                                temperature, assigned_at)
       select id, ${site}, chat_visitor_id, case when created_at > now() - interval '1 day' then 'open' else 'closed' end,
              case when offline then 'offline' else 'chat' end, case when missed then null else agent_id end,
              ${sizes.messagesPerConversation}, ${sizes.messagesPerConversation}, ${sizes.messagesPerConversation},
              case when random() < 0.15 then 1 + floor(random() * 5)::int end,
              case when random() < 0.03 then 'Quick and helpful' end,
              created_at, created_at + interval '25 minutes',
              case when created_at > now() - interval '1 day' then null else created_at + interval '30 minutes' end,
              (array['cold','warm','hot'])[1 + floor(random() * 3)::int],
              case when missed then null else created_at + interval '2 seconds' end
       from bench_conversations`,
    `insert into messages (conversation_id, seq, client_id, author, agent_id, text, created_at)
       select c.id, s, 'm' || c.n || '-' || s,
              case when c.missed or s % 2 = 1 then 'visitor' else 'agent' end,
              case when c.missed or s % 2 = 1 then null else c.agent_id end,
              'Message ' || s || ' of conversation ' || c.n,
              c.created_at + case when s = 1 then interval '0' else c.first_reply + (s - 2) * interval '90 seconds' end
       from bench_conversations c cross join generate_series(1, ${sizes.messagesPerConversation}) s`,
    `insert into conversation_events (conversation_id, kind, to_agent_id, reason, created_at)
       select id, 'assigned', agent_id, 'routing', created_at + interval '2 seconds' from bench_conversations where not missed`,
    `insert into conversation_events (conversation_id, kind, by_agent_id, reason, created_at)
       select id, 'closed', agent_id, 'agent', created_at + interval '30 minutes'
       from bench_conversations where created_at <= now() - interval '1 day'`,
    // Leads: from chats and callbacks and feedback, through the funnel.
    `create temp table bench_leads as
       select g as n, gen_random_uuid() as id, ${moment} as created_at,
              1 + floor(random() * ${sizes.visitors})::int as visitor,
              (select id from bench_agents where n = 1 + (g % ${sizes.agents})) as agent_id,
              (array['new','open','contacted','contacted','contacted','won','won','lost','lost','lost','closed','spam'])
                [1 + floor(random() * 12)::int] as status,
              (array['chat','chat','callback','feedback'])[1 + floor(random() * 4)::int] as channel,
              (array['cold','cold','warm','hot'])[1 + floor(random() * 4)::int] as temperature
       from generate_series(1, ${sizes.leads}) g`,
    'create unique index on bench_leads (n)',
    'analyze bench_leads',
    `insert into leads (id, site_id, status, name, email, phone, channels, assignee_id, temperature, score, created_at,
                        updated_at, first_contacted_at, first_contact_temperature, closed_at, lost_reason, lost_reason_text)
       select id, ${site}, status, 'Lead ' || n, 'lead' || n || '@example.test', '+3712' || lpad(n::text, 7, '0'),
              jsonb_build_array(channel), agent_id, temperature, (random() * 80)::int, created_at,
              created_at + (random() * 20) * interval '1 day',
              case when status <> 'new' then created_at + (1 + random() * 72) * interval '1 hour' end,
              case when status <> 'new' then temperature end,
              case when status in ('won', 'lost', 'closed', 'spam') then created_at + (2 + random() * 30) * interval '1 day' end,
              case when status = 'lost' then (array['price','competitor','no_response','not_interested','no_budget',
                                                    'timing','other'])[1 + (n % 7)] end,
              case when status = 'lost' and n % 7 = 6 then 'Bought elsewhere in a bundle' end
       from bench_leads`,
    `insert into lead_visitors (site_id, visitor_id, lead_id, created_at)
       select ${site}, 'v' || visitor, id, created_at from bench_leads on conflict do nothing`,
    `insert into lead_touches (lead_id, channel, kind, summary, created_at)
       select id, channel, 'created', 'Lead created from ' || channel, created_at from bench_leads`,
    `insert into lead_audit (lead_id, by_agent_id, field, from_value, to_value, created_at)
       select id, agent_id, 'status', 'new', status, created_at + (1 + random() * 72) * interval '1 hour'
       from bench_leads where status <> 'new'`,
    // Callbacks: most reached within the SLA, some overdue; a third tied to a lead.
    `insert into callbacks (site_id, phone, name, mode, status, requested_at, due_at, overdue_at, assignee_id, taken_at,
                            outcome, attempts, lead_id, visitor_id, page_url, visitor_token_hash, created_at, updated_at, temperature)
       select ${site}, '+3712' || lpad(g::text, 7, '0'), 'Caller ' || g, m.mode, 'done', m.at,
              m.due, case when m.late then m.due + interval '5 minutes' end,
              (select id from bench_agents where n = 1 + (g % ${sizes.agents})),
              m.due + case when m.late then (6 + random() * 120) else random() * 5 end * interval '1 minute',
              (array['reached','reached','no_answer','converted','not_interested','wrong_number'])[1 + floor(random() * 6)::int],
              1, case when g % 3 = 0 then (select id from bench_leads where n = 1 + (g % ${sizes.leads})) end,
              'v' || (1 + (g * 31) % ${sizes.visitors}), 'https://shop.example/contact', 'bench-cb-' || g, m.at, m.due,
              (array['cold','warm','hot'])[1 + floor(random() * 3)::int]
       from generate_series(1, ${sizes.callbacks}) g,
            lateral (select ${moment} as at where g = g) t,
            lateral (select case when g % 4 = 0 then 'scheduled' else 'now' end as mode,
                            t.at as at, t.at + case when g % 4 = 0 then interval '3 hours' else interval '30 seconds' end as due,
                            random() < 0.12 as late) m`,
    `insert into callback_events (callback_id, kind, by_agent_id, detail, created_at)
       select id, 'outcome', assignee_id, jsonb_build_object('outcome', outcome), taken_at + interval '3 minutes'
       from callbacks where site_id = ${site} and outcome is not null`,
    `insert into callback_events (callback_id, kind, created_at)
       select id, 'overdue', overdue_at from callbacks where site_id = ${site} and overdue_at is not null`,
    // Feedback: NPS, CSAT and free messages.
    `insert into feedback (site_id, kind, score, text, visitor_id, page_url, created_at)
       select ${site}, k.kind,
              case k.kind when 'nps' then floor(random() * 11)::int when 'csat' then 1 + floor(random() * 5)::int end,
              case when random() < 0.2 then 'Comment number ' || g end,
              'v' || (1 + (g * 17) % ${sizes.visitors}), 'https://shop.example/', ${moment}
       from generate_series(1, ${sizes.feedback}) g,
            lateral (select (array['nps','nps','nps','csat','csat','message'])[1 + (g % 6)] as kind) k`,
    // Invitations sent by agents, some accepted into a conversation.
    `insert into chat_invitations (site_id, visitor_id, agent_id, agent_name, message, state, conversation_id, created_at,
                                   expires_at, updated_at)
       select ${site}, 'v' || (1 + (g * 13) % ${sizes.visitors}), a.id, 'Agent ' || a.n, 'Can I help?',
              (array['seen','accepted','declined','expired','expired'])[1 + (g % 5)],
              case when g % 5 = 1 then (select id from bench_conversations where n = 1 + (g % ${sizes.conversations})) end,
              t.at, t.at + interval '2 minutes', t.at + interval '1 minute'
       from generate_series(1, ${sizes.invitations}) g
       join bench_agents a on a.n = 1 + (g % ${sizes.agents}),
            lateral (select ${moment} as at where g = g) t`,
    'analyze',
  ];
}
