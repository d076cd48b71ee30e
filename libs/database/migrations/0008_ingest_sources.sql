CREATE TABLE "source_items" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"sender" text,
	"identifier" text,
	"sent" text,
	"outcome" text NOT NULL,
	"reason" text,
	"declaration_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"document" text,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"url" text,
	"poll_seconds" integer,
	"scheme_id" text NOT NULL,
	"level_rules" jsonb NOT NULL,
	"area_map" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"default_areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"push_key_hash" text,
	"etag" text,
	"last_modified" text,
	"last_fetched_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"polling_until" timestamp with time zone,
	"counts" jsonb DEFAULT '{"seen":0,"imported":0,"duplicates":0,"rejected":0}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sources_push_key_hash_unique" UNIQUE("push_key_hash")
);
--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "origin" jsonb;--> statement-breakpoint
ALTER TABLE "source_items" ADD CONSTRAINT "source_items_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sources" ADD CONSTRAINT "sources_scheme_id_schemes_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "public"."schemes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "source_items_source_idx" ON "source_items" USING btree ("source_id","received_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_items_triple_unique" ON "source_items" USING btree ("sender","identifier","sent") WHERE "source_items"."outcome" <> 'duplicate';--> statement-breakpoint
CREATE INDEX "sources_created_idx" ON "sources" USING btree ("created_at","id");