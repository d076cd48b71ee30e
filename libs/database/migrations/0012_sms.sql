CREATE TABLE "sms_parts" (
	"message_id" text PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"part" integer NOT NULL,
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"receipt_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sms_subscription_area_keys" (
	"key" text NOT NULL,
	"subscriber_id" text NOT NULL,
	CONSTRAINT "sms_subscription_area_keys_key_subscriber_id_pk" PRIMARY KEY("key","subscriber_id")
);
--> statement-breakpoint
CREATE TABLE "sms_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"areas" text[] NOT NULL,
	"scheme_id" text,
	"min_rank" integer,
	"events" text[],
	"exercises" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"code_hash" text,
	"code_sent_at" timestamp with time zone,
	"codes_today" integer DEFAULT 0 NOT NULL,
	"wrong_codes" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	CONSTRAINT "sms_subscriptions_phone_unique" UNIQUE("phone")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "sms_subscription_id" text;--> statement-breakpoint
ALTER TABLE "sms_parts" ADD CONSTRAINT "sms_parts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_subscription_area_keys" ADD CONSTRAINT "sms_subscription_area_keys_subscriber_id_sms_subscriptions_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."sms_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_parts_delivery_idx" ON "sms_parts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "sms_subscriptions_status_idx" ON "sms_subscriptions" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_sms_subscription_id_sms_subscriptions_id_fk" FOREIGN KEY ("sms_subscription_id") REFERENCES "public"."sms_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_sms_event_unique" ON "deliveries" USING btree ("sms_subscription_id","event_id") WHERE "deliveries"."sms_subscription_id" is not null;--> statement-breakpoint
-- An SMS subscriber's area keys are kept as the others' are (migration 0007).
CREATE TRIGGER "sms_subscriptions_area_keys" AFTER INSERT OR UPDATE OF "areas" ON "sms_subscriptions"
  FOR EACH ROW EXECUTE FUNCTION "keep_subscriber_area_keys"('sms_subscription_area_keys');
