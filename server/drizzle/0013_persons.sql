CREATE TABLE "person_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"by_agent_id" uuid,
	"action" text NOT NULL,
	"detail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_visitors" (
	"site_id" uuid NOT NULL,
	"visitor_id" text NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_visitors_site_id_visitor_id_pk" PRIMARY KEY("site_id","visitor_id")
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"name" text,
	"email" text,
	"phone" text,
	"user_id" text,
	"label_seed" text NOT NULL,
	"outcome" text,
	"merged_into" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chat_visitors" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "person_audit" ADD CONSTRAINT "person_audit_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_audit" ADD CONSTRAINT "person_audit_by_agent_id_agents_id_fk" FOREIGN KEY ("by_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_visitors" ADD CONSTRAINT "person_visitors_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_visitors" ADD CONSTRAINT "person_visitors_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_merged_into_persons_id_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."persons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_audit_person_idx" ON "person_audit" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "person_visitors_person_idx" ON "person_visitors" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "persons_site_email_idx" ON "persons" USING btree ("site_id","email") WHERE "persons"."merged_into" is null;--> statement-breakpoint
CREATE INDEX "persons_site_phone_idx" ON "persons" USING btree ("site_id","phone") WHERE "persons"."merged_into" is null;--> statement-breakpoint
CREATE INDEX "persons_site_user_idx" ON "persons" USING btree ("site_id","user_id") WHERE "persons"."merged_into" is null;--> statement-breakpoint
ALTER TABLE "chat_visitors" ADD CONSTRAINT "chat_visitors_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_visitors_person_idx" ON "chat_visitors" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "leads_person_idx" ON "leads" USING btree ("person_id");--> statement-breakpoint
-- Backfill (hand-written): every existing lead becomes a person with the lead's id (leads were already
-- one per email / phone / browser), its visitor ids and chat visitors follow; then identified visitors
-- without a lead join the person with their email or phone, or become one. Nothing is deleted, and two
-- visitors are put together only by the same email or phone, never by a shared browser alone.
INSERT INTO "persons" ("id", "site_id", "name", "email", "phone", "label_seed", "outcome", "created_at", "updated_at")
SELECT l."id", l."site_id", l."name", l."email", l."phone",
  coalesce((SELECT lv."visitor_id" FROM "lead_visitors" lv WHERE lv."lead_id" = l."id" ORDER BY lv."created_at", lv."visitor_id" LIMIT 1), l."id"::text),
  CASE WHEN l."status" IN ('won', 'lost') THEN l."status" END, l."created_at", l."updated_at"
FROM "leads" l;--> statement-breakpoint
UPDATE "leads" SET "person_id" = "id";--> statement-breakpoint
INSERT INTO "person_visitors" ("site_id", "visitor_id", "person_id", "created_at")
SELECT "site_id", "visitor_id", "lead_id", "created_at" FROM "lead_visitors" ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "chat_visitors" cv SET "person_id" = t."lead_id"
FROM (
  SELECT DISTINCT ON (c."chat_visitor_id") c."chat_visitor_id", t."lead_id"
  FROM "lead_touches" t JOIN "conversations" c ON t."ref_type" = 'conversation' AND c."id"::text = t."ref_id"
  ORDER BY c."chat_visitor_id", t."created_at"
) t
WHERE cv."id" = t."chat_visitor_id";--> statement-breakpoint
INSERT INTO "persons" ("site_id", "name", "email", "phone", "label_seed", "created_at", "updated_at")
SELECT DISTINCT ON (v."site_id", coalesce(lower(trim(v."email")), v."phone")) v."site_id", v."name", lower(trim(v."email")), v."phone", v."visitor_id", v."first_seen_at", v."last_seen_at"
FROM "visitors" v
WHERE (v."email" IS NOT NULL OR v."phone" IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM "person_visitors" pv WHERE pv."site_id" = v."site_id" AND pv."visitor_id" = v."visitor_id")
  AND NOT EXISTS (SELECT 1 FROM "persons" p WHERE p."site_id" = v."site_id" AND (p."email" = lower(trim(v."email")) OR p."phone" = v."phone"))
ORDER BY v."site_id", coalesce(lower(trim(v."email")), v."phone"), v."first_seen_at";--> statement-breakpoint
INSERT INTO "person_visitors" ("site_id", "visitor_id", "person_id")
SELECT v."site_id", v."visitor_id", p."id"
FROM "visitors" v
JOIN LATERAL (
  SELECT p."id" FROM "persons" p
  WHERE p."site_id" = v."site_id" AND (p."email" = lower(trim(v."email")) OR p."phone" = v."phone")
  ORDER BY p."created_at", p."id" LIMIT 1
) p ON true
WHERE (v."email" IS NOT NULL OR v."phone" IS NOT NULL)
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "person_audit" ("person_id", "action", "detail", "created_at")
SELECT "id", 'created', 'Created from existing data when persons were introduced', "created_at" FROM "persons";
--> statement-breakpoint
UPDATE "persons" p SET "user_id" = v."user_id"
FROM (
  SELECT DISTINCT ON (pv."person_id") pv."person_id", v."user_id"
  FROM "person_visitors" pv JOIN "visitors" v ON v."site_id" = pv."site_id" AND v."visitor_id" = pv."visitor_id"
  WHERE v."verified_at" IS NOT NULL AND v."user_id" IS NOT NULL
  ORDER BY pv."person_id", v."verified_at" DESC
) v
WHERE p."id" = v."person_id";
