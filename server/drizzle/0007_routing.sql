CREATE TABLE "routing_settings" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"unanswered_chat_seconds" integer DEFAULT 120 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	CONSTRAINT "team_members_team_id_agent_id_pk" PRIMARY KEY("team_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "temperature" text;--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "routing" jsonb;--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "chat_visitors" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "conversation_events" ADD COLUMN "routing" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "temperature" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "routing" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "routing_settings" ADD CONSTRAINT "routing_settings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "team_members_agent_idx" ON "team_members" USING btree ("agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_site_name_uq" ON "teams" USING btree ("site_id","name");--> statement-breakpoint
CREATE INDEX "conversations_unanswered_scan_idx" ON "conversations" USING btree ("assigned_at") WHERE "conversations"."status" = 'open' and "conversations"."assignee_id" is not null;