CREATE TABLE "agents_away" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collect_drops" (
	"site_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"origin" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"requests" integer NOT NULL,
	"events" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "collect_drops_site_id_kind_origin_hour_pk" PRIMARY KEY("site_id","kind","origin","hour")
);
--> statement-breakpoint
ALTER TABLE "agents_away" ADD CONSTRAINT "agents_away_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collect_drops" ADD CONSTRAINT "collect_drops_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;