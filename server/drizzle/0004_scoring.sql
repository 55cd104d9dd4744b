CREATE TABLE "scoring_settings" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"half_life_days" double precision NOT NULL,
	"hot" integer NOT NULL,
	"warm" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"visitor_id" text NOT NULL,
	"number" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"landing_url" text,
	"referrer_domain" text,
	"utm" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"click_id_type" text,
	"pageviews" integer DEFAULT 0 NOT NULL,
	"engaged_ms" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitors" (
	"site_id" uuid NOT NULL,
	"visitor_id" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"visit_count" integer DEFAULT 0 NOT NULL,
	"current_url" text,
	"current_title" text,
	"user_id" text,
	"email" text,
	"name" text,
	"phone" text,
	"score_state" jsonb DEFAULT '{"asOf":0,"rules":{}}'::jsonb NOT NULL,
	"score" double precision DEFAULT 0 NOT NULL,
	"temperature" text DEFAULT 'cold' NOT NULL,
	"outcome" text,
	"outcome_at" timestamp with time zone,
	CONSTRAINT "visitors_site_id_visitor_id_pk" PRIMARY KEY("site_id","visitor_id")
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "context" jsonb;--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD CONSTRAINT "scoring_settings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_sessions" ADD CONSTRAINT "visitor_sessions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "visitor_sessions_visitor_idx" ON "visitor_sessions" USING btree ("site_id","visitor_id","started_at");--> statement-breakpoint
CREATE INDEX "visitor_sessions_site_last_seen_idx" ON "visitor_sessions" USING btree ("site_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "visitors_site_last_seen_idx" ON "visitors" USING btree ("site_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "visitors_site_outcome_idx" ON "visitors" USING btree ("site_id") WHERE "visitors"."outcome" is not null;--> statement-breakpoint
CREATE INDEX "events_site_visitor_idx" ON "events" USING btree ("site_id","visitor_id","id");