CREATE TABLE "email_subscription_area_keys" (
	"key" text NOT NULL,
	"subscriber_id" text NOT NULL,
	CONSTRAINT "email_subscription_area_keys_key_subscriber_id_pk" PRIMARY KEY("key","subscriber_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoint_area_keys" (
	"key" text NOT NULL,
	"subscriber_id" text NOT NULL,
	CONSTRAINT "webhook_endpoint_area_keys_key_subscriber_id_pk" PRIMARY KEY("key","subscriber_id")
);
--> statement-breakpoint
ALTER TABLE "email_subscription_area_keys" ADD CONSTRAINT "email_subscription_area_keys_subscriber_id_email_subscriptions_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."email_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoint_area_keys" ADD CONSTRAINT "webhook_endpoint_area_keys_subscriber_id_webhook_endpoints_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written below: drizzle-kit does not model functions, triggers or rows. The keys follow the one area
-- rule (subscription-filter.ts): a filter area F matches a change of X when F is '*', F = X, F is X's
-- country, or X is F's country. So F is kept under F and, for a subdivision, under 'in:' || its country.
CREATE FUNCTION "subscriber_area_keys"("areas" text[]) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT k FROM unnest("areas") AS f,
    LATERAL unnest(CASE WHEN position('-' in f) > 0 THEN ARRAY[f, 'in:' || split_part(f, '-', 1)] ELSE ARRAY[f] END) AS k
$$;
--> statement-breakpoint
-- TG_ARGV[0] names the key table of the subscriber table the trigger is on.
CREATE FUNCTION "keep_subscriber_area_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    EXECUTE format('DELETE FROM %I WHERE "subscriber_id" = $1', TG_ARGV[0]) USING NEW."id";
  END IF;
  EXECUTE format('INSERT INTO %I ("key", "subscriber_id") SELECT k, $1 FROM "subscriber_area_keys"($2) AS k', TG_ARGV[0])
    USING NEW."id", NEW."areas";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "webhook_endpoints_area_keys" AFTER INSERT OR UPDATE OF "areas" ON "webhook_endpoints"
  FOR EACH ROW EXECUTE FUNCTION "keep_subscriber_area_keys"('webhook_endpoint_area_keys');
--> statement-breakpoint
CREATE TRIGGER "email_subscriptions_area_keys" AFTER INSERT OR UPDATE OF "areas" ON "email_subscriptions"
  FOR EACH ROW EXECUTE FUNCTION "keep_subscriber_area_keys"('email_subscription_area_keys');
--> statement-breakpoint
INSERT INTO "webhook_endpoint_area_keys" ("key", "subscriber_id")
  SELECT k, s."id" FROM "webhook_endpoints" s, "subscriber_area_keys"(s."areas") AS k;
--> statement-breakpoint
INSERT INTO "email_subscription_area_keys" ("key", "subscriber_id")
  SELECT k, s."id" FROM "email_subscriptions" s, "subscriber_area_keys"(s."areas") AS k;
