ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_event_webhook_unique";--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_event_email_unique";--> statement-breakpoint
DROP INDEX "deliveries_webhook_idx";--> statement-breakpoint
DROP INDEX "deliveries_status_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_webhook_event_unique" ON "deliveries" USING btree ("webhook_endpoint_id","event_id") WHERE "deliveries"."webhook_endpoint_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_email_event_unique" ON "deliveries" USING btree ("email_subscription_id","event_id") WHERE "deliveries"."email_subscription_id" is not null;--> statement-breakpoint
CREATE INDEX "deliveries_pending_idx" ON "deliveries" USING btree ("created_at") WHERE "deliveries"."status" = 'pending';