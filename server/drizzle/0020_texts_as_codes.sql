-- Issue 20: lead timeline touches and person audit lines are worded by the dashboard in the agent's language
-- from codes and values. Rows written before carried only an English sentence: fill in the values they lack
-- from the records they point to, or read them from the sentence where it has one fixed form. A row left
-- without them still shows its English sentence.
UPDATE "lead_touches" AS "touch" SET "data" = "touch"."data" || jsonb_build_object('phone', "callback"."phone")
FROM "callbacks" AS "callback"
WHERE "touch"."kind" = 'callback.requested' AND "touch"."ref_type" = 'callback'
  AND "touch"."ref_id" = "callback"."id"::text AND NOT ("touch"."data" ? 'phone');
--> statement-breakpoint
UPDATE "lead_touches" AS "touch" SET "data" = "touch"."data" || jsonb_build_object('agentName', "agent"."name")
FROM "agents" AS "agent"
WHERE "touch"."kind" = 'callback.outcome' AND "touch"."data"->>'agentId' = "agent"."id"::text
  AND NOT ("touch"."data" ? 'agentName');
--> statement-breakpoint
UPDATE "lead_touches" AS "touch" SET "data" = "touch"."data" || jsonb_build_object('text', left("message"."text", 140))
FROM "messages" AS "message"
WHERE "touch"."kind" IN ('chat.started', 'chat.offline_message') AND "touch"."ref_type" = 'conversation'
  AND "touch"."ref_id" = "message"."conversation_id"::text AND "message"."seq" = 1 AND NOT ("touch"."data" ? 'text');
--> statement-breakpoint
UPDATE "person_audit" SET "data" = jsonb_build_object('outcome', substring("detail" from '^Marked (won|lost)$'))
WHERE "action" = 'outcome' AND "detail" ~ '^Marked (won|lost)$' AND "data" = '{}'::jsonb;
--> statement-breakpoint
UPDATE "person_audit" SET "data" = jsonb_build_object('outcome', NULL)
WHERE "action" = 'outcome' AND "detail" = 'Outcome cleared' AND "data" = '{}'::jsonb;
--> statement-breakpoint
UPDATE "person_audit" SET "data" = jsonb_build_object('source', substring("detail" from '^First seen through ([a-z_ ]+)$'))
WHERE "action" = 'created' AND "detail" ~ '^First seen through [a-z_ ]+$' AND "data" = '{}'::jsonb;
--> statement-breakpoint
UPDATE "person_audit" SET "data" = jsonb_build_object(
    'field', (regexp_match("detail", '^(name|email|phone|userId) (.*) \(from ([a-z_ ]+)\)$'))[1],
    'value', (regexp_match("detail", '^(name|email|phone|userId) (.*) \(from ([a-z_ ]+)\)$'))[2],
    'source', (regexp_match("detail", '^(name|email|phone|userId) (.*) \(from ([a-z_ ]+)\)$'))[3])
WHERE "action" = 'identified' AND "detail" ~ '^(name|email|phone|userId) (.*) \(from ([a-z_ ]+)\)$' AND "data" = '{}'::jsonb;
