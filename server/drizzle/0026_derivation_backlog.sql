CREATE TABLE "derivation_backlog" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_ids" bigint[] NOT NULL,
	"first_occurred_at" timestamp with time zone NOT NULL,
	"last_occurred_at" timestamp with time zone NOT NULL,
	"contexts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "derivation_backlog_created_idx" ON "derivation_backlog" USING btree ("created_at");