CREATE TABLE "outbox_changes" (
	"event_id" text NOT NULL,
	"area_code" text NOT NULL,
	"country_code" text NOT NULL,
	"scheme_id" text NOT NULL,
	"previous_rank" integer,
	"current_rank" integer,
	"direction" text NOT NULL,
	CONSTRAINT "outbox_changes_event_id_area_code_scheme_id_pk" PRIMARY KEY("event_id","area_code","scheme_id")
);
--> statement-breakpoint
ALTER TABLE "outbox_changes" ADD CONSTRAINT "outbox_changes_event_id_outbox_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox"("event_id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- Hand-written below: the changes of events rendered before this table existed, read once from their
-- payloads (the only place the payload's JSON shape is read in SQL).
INSERT INTO "outbox_changes" ("event_id", "area_code", "country_code", "scheme_id", "previous_rank", "current_rank", "direction")
SELECT o."event_id", c->'area'->>'code', split_part(c->'area'->>'code', '-', 1), c->>'scheme',
  (c->'previous'->>'rank')::int, (c->'current'->>'rank')::int, c->>'direction'
FROM "outbox" o, jsonb_array_elements(o."payload"->'data'->'changes') c
WHERE o."payload" IS NOT NULL
ON CONFLICT DO NOTHING;
