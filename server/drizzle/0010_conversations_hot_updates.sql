DROP INDEX "conversations_site_status_idx";--> statement-breakpoint
CREATE INDEX "conversations_site_status_closed_idx" ON "conversations" USING btree ("site_id","status","closed_at");--> statement-breakpoint
-- Room on each page for the new row versions of HOT updates (every chat message updates its conversation).
ALTER TABLE "conversations" SET (fillfactor = 80);
