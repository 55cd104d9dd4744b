-- Written by hand: drizzle-kit cannot declare partitioning. The snapshot beside it is the one drizzle-kit generated
-- for the schema (composite primary key, the unique index with occurred_at), so `drizzle-kit generate` finds nothing
-- to undo. See ARCHITECTURE.md, "Event storage". The events move into a table partitioned by month of occurred_at:
-- one partition per month that holds rows, the current month and the next two, and a default partition.
ALTER TABLE "events" RENAME TO "events_unpartitioned";--> statement-breakpoint
ALTER SEQUENCE "events_id_seq" OWNED BY NONE;--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigint DEFAULT nextval('events_id_seq'::regclass) NOT NULL,
	"site_id" uuid NOT NULL,
	"client_event_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"session_id" text NOT NULL,
	"type" text NOT NULL,
	"url" text NOT NULL,
	"title" text,
	"referrer" text,
	"name" text,
	"props" jsonb,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"context" jsonb
) PARTITION BY RANGE ("occurred_at");--> statement-breakpoint
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;--> statement-breakpoint
DO $$
DECLARE
	month timestamp;
BEGIN
	FOR month IN
		SELECT DISTINCT date_trunc('month', "occurred_at" AT TIME ZONE 'UTC') FROM "events_unpartitioned"
		UNION
		SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ahead) FROM generate_series(0, 2) AS ahead
	LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF "events" FOR VALUES FROM (%L) TO (%L)',
			'events_p' || to_char(month, 'YYYY_MM'),
			to_char(month, 'YYYY-MM-DD"T00:00:00Z"'),
			to_char(month + interval '1 month', 'YYYY-MM-DD"T00:00:00Z"'));
	END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "events" ("id", "site_id", "client_event_id", "visitor_id", "session_id", "type", "url", "title", "referrer", "name", "props", "occurred_at", "received_at", "context")
	SELECT "id", "site_id", "client_event_id", "visitor_id", "session_id", "type", "url", "title", "referrer", "name", "props", "occurred_at", "received_at", "context"
	FROM "events_unpartitioned";--> statement-breakpoint
DROP TABLE "events_unpartitioned";--> statement-breakpoint
ALTER SEQUENCE "events_id_seq" OWNED BY "events"."id";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY("id","occurred_at");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "events_site_client_id_uq" ON "events" USING btree ("site_id","client_event_id","occurred_at");--> statement-breakpoint
CREATE INDEX "events_site_received_idx" ON "events" USING btree ("site_id","received_at");--> statement-breakpoint
CREATE INDEX "events_site_visitor_idx" ON "events" USING btree ("site_id","visitor_id","id");
