CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_key_id" text,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "mode" text DEFAULT 'actual' NOT NULL;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "approval" text;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "decided_by_name" text;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "reject_reason" text;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "urgent_reason" text;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "cancel_requested_by" text;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "cancel_requested_by_name" text;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "cancel_request_reason" text;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "exercises" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "mode" text DEFAULT 'actual' NOT NULL;--> statement-breakpoint
ALTER TABLE "schemes" ADD COLUMN "approval" jsonb;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "exercises" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_key_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "declarations_pending_approval_idx" ON "declarations" USING btree ("created_at","id") WHERE "declarations"."approval" = 'pending' or "declarations"."cancel_requested_at" is not null;--> statement-breakpoint
-- The audit log is append-only: no role the app connects as may change or remove what it says (DESIGN.md §5.4).
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_or_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
