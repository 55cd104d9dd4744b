CREATE TABLE "report_inquiry_hours" (
	"site_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"n" integer NOT NULL,
	"nps_n" integer NOT NULL,
	"promoters" integer NOT NULL,
	"detractors" integer NOT NULL,
	"csat_n" integer NOT NULL,
	"csat_sum" integer NOT NULL,
	"csat_ok" integer NOT NULL,
	"chat_n" integer NOT NULL,
	"chat_sum" integer NOT NULL,
	"chat_ok" integer NOT NULL,
	CONSTRAINT "report_inquiry_hours_site_id_hour_channel_pk" PRIMARY KEY("site_id","hour","channel")
);
--> statement-breakpoint
CREATE TABLE "report_inquiry_months" (
	"site_id" uuid NOT NULL,
	"month" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"agent_id" uuid,
	"in_business_hours" boolean NOT NULL,
	"n" integer NOT NULL,
	"answered" integer NOT NULL,
	"on_time" integer NOT NULL,
	"late" integer NOT NULL,
	"ratings" integer NOT NULL,
	"rating_sum" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_latency_months" (
	"site_id" uuid NOT NULL,
	"month" timestamp with time zone NOT NULL,
	"metric" text NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"bucket" smallint NOT NULL,
	"n" integer NOT NULL,
	"sum_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_source_months" (
	"site_id" uuid NOT NULL,
	"month" timestamp with time zone NOT NULL,
	"source_kind" text NOT NULL,
	"utm_source" text DEFAULT '' NOT NULL,
	"utm_medium" text DEFAULT '' NOT NULL,
	"utm_campaign" text DEFAULT '' NOT NULL,
	"referrer_domain" text DEFAULT '' NOT NULL,
	"click_id_type" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_inquiry_hours" ADD CONSTRAINT "report_inquiry_hours_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_inquiry_months" ADD CONSTRAINT "report_inquiry_months_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_inquiry_months" ADD CONSTRAINT "report_inquiry_months_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_latency_months" ADD CONSTRAINT "report_latency_months_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_source_months" ADD CONSTRAINT "report_source_months_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_inquiry_months_site_month_idx" ON "report_inquiry_months" USING btree ("site_id","month");--> statement-breakpoint
CREATE INDEX "report_latency_months_site_month_idx" ON "report_latency_months" USING btree ("site_id","month");--> statement-breakpoint
CREATE INDEX "report_source_months_site_month_idx" ON "report_source_months" USING btree ("site_id","month");--> statement-breakpoint
CREATE INDEX "report_inquiries_site_refreshed_idx" ON "report_inquiries" USING btree ("site_id","refreshed_at");--> statement-breakpoint
CREATE INDEX "report_inquiries_overdue_idx" ON "report_inquiries" USING btree ("site_id","due_at") WHERE kind = 'callback' and (first_call_at is null or first_call_at > due_at);--> statement-breakpoint
CREATE INDEX "report_inquiries_uncalled_idx" ON "report_inquiries" USING btree ("site_id","at") WHERE kind = 'callback' and first_call_at is null;--> statement-breakpoint
CREATE INDEX "report_inquiries_comment_idx" ON "report_inquiries" USING btree ("site_id","at") WHERE comment is not null;--> statement-breakpoint
CREATE INDEX "report_leads_site_closed_idx" ON "report_leads" USING btree ("site_id","closed_at");