CREATE TABLE "outcome_receipts" (
	"site_id" uuid NOT NULL,
	"id" text NOT NULL,
	"outcome" text,
	"visitors" integer NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outcome_receipts_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD COLUMN "threshold_mode" text DEFAULT 'points' NOT NULL;--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD COLUMN "hot_percent" integer;--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD COLUMN "warm_percent" integer;--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD COLUMN "thresholds_computed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD COLUMN "thresholds_visitors" integer;--> statement-breakpoint
ALTER TABLE "outcome_receipts" ADD CONSTRAINT "outcome_receipts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;