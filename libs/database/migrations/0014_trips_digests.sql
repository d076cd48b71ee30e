ALTER TABLE "email_subscriptions" ADD COLUMN "active_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "active_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "trip_summary_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "delivery" text DEFAULT 'immediate' NOT NULL;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "immediate_min_rank" integer;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "digest_hour" integer DEFAULT 8 NOT NULL;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "digest_weekday" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "next_digest_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sms_subscriptions" ADD COLUMN "active_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sms_subscriptions" ADD COLUMN "active_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sms_subscriptions" ADD COLUMN "trip_summary_sent_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "email_subscriptions_trip_start_idx" ON "email_subscriptions" USING btree ("active_from") WHERE "email_subscriptions"."active_from" is not null and "email_subscriptions"."trip_summary_sent_at" is null;--> statement-breakpoint
CREATE INDEX "email_subscriptions_trip_end_idx" ON "email_subscriptions" USING btree ("active_until") WHERE "email_subscriptions"."active_until" is not null and "email_subscriptions"."status" <> 'ended';--> statement-breakpoint
CREATE INDEX "email_subscriptions_next_digest_idx" ON "email_subscriptions" USING btree ("next_digest_at") WHERE "email_subscriptions"."next_digest_at" is not null;--> statement-breakpoint
CREATE INDEX "sms_subscriptions_trip_start_idx" ON "sms_subscriptions" USING btree ("active_from") WHERE "sms_subscriptions"."active_from" is not null and "sms_subscriptions"."trip_summary_sent_at" is null;--> statement-breakpoint
CREATE INDEX "sms_subscriptions_trip_end_idx" ON "sms_subscriptions" USING btree ("active_until") WHERE "sms_subscriptions"."active_until" is not null and "sms_subscriptions"."status" <> 'ended';--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD CONSTRAINT "email_subscriptions_trip_window" CHECK ("email_subscriptions"."active_from" is null or "email_subscriptions"."active_until" is null or "email_subscriptions"."active_from" < "email_subscriptions"."active_until");--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD CONSTRAINT "email_subscriptions_delivery" CHECK ("email_subscriptions"."delivery" in ('immediate', 'daily', 'weekly'));--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD CONSTRAINT "email_subscriptions_digest_hour" CHECK ("email_subscriptions"."digest_hour" between 0 and 23);--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD CONSTRAINT "email_subscriptions_digest_weekday" CHECK ("email_subscriptions"."digest_weekday" between 1 and 7);--> statement-breakpoint
ALTER TABLE "sms_subscriptions" ADD CONSTRAINT "sms_subscriptions_trip_window" CHECK ("sms_subscriptions"."active_from" is null or "sms_subscriptions"."active_until" is null or "sms_subscriptions"."active_from" < "sms_subscriptions"."active_until");