CREATE TABLE "report_agent_online" (
	"site_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"minutes" bigint NOT NULL,
	CONSTRAINT "report_agent_online_site_id_hour_agent_id_pk" PRIMARY KEY("site_id","hour","agent_id")
);
--> statement-breakpoint
CREATE TABLE "report_digests" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"frequency" text NOT NULL,
	"tz" text DEFAULT 'UTC' NOT NULL,
	"last_period" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_inquiries" (
	"ref_id" uuid PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"source_kind" text NOT NULL,
	"utm_source" text DEFAULT '' NOT NULL,
	"utm_medium" text DEFAULT '' NOT NULL,
	"utm_campaign" text DEFAULT '' NOT NULL,
	"referrer_domain" text DEFAULT '' NOT NULL,
	"click_id_type" text DEFAULT '' NOT NULL,
	"agent_id" uuid,
	"lead_id" uuid,
	"in_business_hours" boolean NOT NULL,
	"answered" boolean DEFAULT false NOT NULL,
	"first_response_ms" bigint,
	"resolution_ms" bigint,
	"due_at" timestamp with time zone,
	"first_call_at" timestamp with time zone,
	"score" integer,
	"score_kind" text,
	"comment" text,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_leads" (
	"lead_id" uuid PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"assignee_id" uuid,
	"first_contacted_at" timestamp with time zone,
	"first_contact_temperature" text,
	"closed_at" timestamp with time zone,
	"lost_reason" text,
	"source_kind" text NOT NULL,
	"utm_source" text DEFAULT '' NOT NULL,
	"utm_medium" text DEFAULT '' NOT NULL,
	"utm_campaign" text DEFAULT '' NOT NULL,
	"referrer_domain" text DEFAULT '' NOT NULL,
	"click_id_type" text DEFAULT '' NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_spend" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"month" text NOT NULL,
	"source" text NOT NULL,
	"campaign" text DEFAULT '' NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"currency" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_trigger_accepts" (
	"site_id" uuid NOT NULL,
	"trigger_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "report_trigger_accepts_site_id_trigger_id_visitor_id_pk" PRIMARY KEY("site_id","trigger_id","visitor_id")
);
--> statement-breakpoint
CREATE TABLE "report_trigger_hours" (
	"site_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"trigger_id" text NOT NULL,
	"shown" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"dismissed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "report_trigger_hours_site_id_hour_trigger_id_pk" PRIMARY KEY("site_id","hour","trigger_id")
);
--> statement-breakpoint
CREATE TABLE "report_watermarks" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"refreshed_to" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "first_contacted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "first_contact_temperature" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "lost_reason" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "lost_reason_text" text;--> statement-breakpoint
ALTER TABLE "report_agent_online" ADD CONSTRAINT "report_agent_online_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_agent_online" ADD CONSTRAINT "report_agent_online_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_digests" ADD CONSTRAINT "report_digests_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_inquiries" ADD CONSTRAINT "report_inquiries_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_inquiries" ADD CONSTRAINT "report_inquiries_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_inquiries" ADD CONSTRAINT "report_inquiries_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_leads" ADD CONSTRAINT "report_leads_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_leads" ADD CONSTRAINT "report_leads_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_leads" ADD CONSTRAINT "report_leads_assignee_id_agents_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_spend" ADD CONSTRAINT "report_spend_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_spend" ADD CONSTRAINT "report_spend_updated_by_agents_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_trigger_accepts" ADD CONSTRAINT "report_trigger_accepts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_trigger_hours" ADD CONSTRAINT "report_trigger_hours_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_watermarks" ADD CONSTRAINT "report_watermarks_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_agent_online_agent_idx" ON "report_agent_online" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "report_inquiries_site_at_idx" ON "report_inquiries" USING btree ("site_id","at");--> statement-breakpoint
CREATE INDEX "report_inquiries_lead_idx" ON "report_inquiries" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "report_leads_site_created_idx" ON "report_leads" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "report_spend_key_uq" ON "report_spend" USING btree ("site_id","month","source","campaign");--> statement-breakpoint
CREATE INDEX "report_trigger_accepts_site_at_idx" ON "report_trigger_accepts" USING btree ("site_id","accepted_at");