CREATE TABLE "assignment_marks" (
	"site_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"last_assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assignment_marks_site_id_agent_id_pk" PRIMARY KEY("site_id","agent_id")
);
--> statement-breakpoint
ALTER TABLE "assignment_marks" ADD CONSTRAINT "assignment_marks_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_marks" ADD CONSTRAINT "assignment_marks_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Round-robin continues where the assignment history left off.
INSERT INTO "assignment_marks" ("site_id", "agent_id", "last_assigned_at")
SELECT c."site_id", e."to_agent_id", max(e."created_at")
FROM "conversation_events" e JOIN "conversations" c ON c."id" = e."conversation_id"
WHERE e."kind" = 'assigned' AND e."to_agent_id" IS NOT NULL
GROUP BY c."site_id", e."to_agent_id";
