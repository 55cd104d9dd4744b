ALTER TABLE "api_idempotency_keys" DROP CONSTRAINT "api_idempotency_keys_api_key_id_key_pk";--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ALTER COLUMN "api_key_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD COLUMN "agent_id" uuid;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_idempotency_key_owner_idx" ON "api_idempotency_keys" USING btree ("api_key_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "api_idempotency_agent_owner_idx" ON "api_idempotency_keys" USING btree ("agent_id","key");--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_one_owner" CHECK (num_nonnulls("api_idempotency_keys"."api_key_id", "api_idempotency_keys"."agent_id") = 1);