CREATE TABLE "chat_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"visitor_id" text NOT NULL,
	"agent_id" uuid,
	"agent_name" text NOT NULL,
	"message" text NOT NULL,
	"state" text DEFAULT 'sent' NOT NULL,
	"conversation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trigger_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"conditions" jsonb NOT NULL,
	"action" jsonb NOT NULL,
	"frequency" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_hot_marks" (
	"site_id" uuid NOT NULL,
	"visitor_id" text NOT NULL,
	"hot_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visitor_hot_marks_site_id_visitor_id_pk" PRIMARY KEY("site_id","visitor_id")
);
--> statement-breakpoint
CREATE TABLE "visitor_presence" (
	"site_id" uuid NOT NULL,
	"visitor_id" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visitor_presence_site_id_visitor_id_pk" PRIMARY KEY("site_id","visitor_id")
);
--> statement-breakpoint
ALTER TABLE "chat_invitations" ADD CONSTRAINT "chat_invitations_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_invitations" ADD CONSTRAINT "chat_invitations_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_invitations" ADD CONSTRAINT "chat_invitations_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_rules" ADD CONSTRAINT "trigger_rules_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_hot_marks" ADD CONSTRAINT "visitor_hot_marks_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_presence" ADD CONSTRAINT "visitor_presence_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_invitations_pending_idx" ON "chat_invitations" USING btree ("site_id","visitor_id") WHERE "chat_invitations"."state" = 'sent';--> statement-breakpoint
CREATE INDEX "chat_invitations_site_idx" ON "chat_invitations" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "trigger_rules_site_idx" ON "trigger_rules" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "visitor_presence_site_seen_idx" ON "visitor_presence" USING btree ("site_id","seen_at");