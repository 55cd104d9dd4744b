CREATE TABLE "callback_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"callback_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"by_agent_id" uuid,
	"to_agent_id" uuid,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_phone_counts" (
	"site_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"day" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "callback_phone_counts_site_id_phone_day_pk" PRIMARY KEY("site_id","phone","day")
);
--> statement-breakpoint
CREATE TABLE "callbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"name" text,
	"mode" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"countdown_ends_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"assignee_id" uuid,
	"taken_at" timestamp with time zone,
	"outcome" text,
	"note" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lead_id" uuid,
	"visitor_id" text,
	"page_url" text,
	"visitor_token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"score" integer,
	"text" text,
	"email" text,
	"visitor_id" text,
	"page_url" text,
	"lead_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "callbacks" jsonb DEFAULT '{"enabled":true,"countdownSeconds":30,"slaMinutes":5,"slotMinutes":30,"daysAhead":5,"limits":{"perPhonePerDay":3,"perIpPerHour":10,"perSitePerHour":300},"minFormSeconds":3,"blockedPrefixes":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "feedback" jsonb DEFAULT '{"enabled":true,"defaultKind":"nps","npsQuestion":"How likely are you to recommend us to a friend or colleague?","csatQuestion":"How satisfied are you with us?","afterChat":true}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "callback_events" ADD CONSTRAINT "callback_events_callback_id_callbacks_id_fk" FOREIGN KEY ("callback_id") REFERENCES "public"."callbacks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_events" ADD CONSTRAINT "callback_events_by_agent_id_agents_id_fk" FOREIGN KEY ("by_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_events" ADD CONSTRAINT "callback_events_to_agent_id_agents_id_fk" FOREIGN KEY ("to_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_phone_counts" ADD CONSTRAINT "callback_phone_counts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_assignee_id_agents_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callback_events_callback_idx" ON "callback_events" USING btree ("callback_id");--> statement-breakpoint
CREATE INDEX "callbacks_site_status_due_idx" ON "callbacks" USING btree ("site_id","status","due_at");--> statement-breakpoint
CREATE INDEX "callbacks_overdue_scan_idx" ON "callbacks" USING btree ("due_at") WHERE "callbacks"."status" = 'pending' and "callbacks"."overdue_at" is null;--> statement-breakpoint
CREATE INDEX "feedback_site_created_idx" ON "feedback" USING btree ("site_id","created_at");