CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "area_sequences" (
	"area_code" text NOT NULL,
	"scheme_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	CONSTRAINT "area_sequences_area_code_scheme_id_pk" PRIMARY KEY("area_code","scheme_id")
);
--> statement-breakpoint
CREATE TABLE "declaration_areas" (
	"declaration_id" text NOT NULL,
	"area_code" text NOT NULL,
	"country_code" text NOT NULL,
	"scheme_id" text NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	CONSTRAINT "declaration_areas_declaration_id_area_code_pk" PRIMARY KEY("declaration_id","area_code")
);
--> statement-breakpoint
CREATE TABLE "declarations" (
	"id" text PRIMARY KEY NOT NULL,
	"scheme_id" text NOT NULL,
	"level_code" text NOT NULL,
	"headline" text NOT NULL,
	"summary" text NOT NULL,
	"measures" jsonb NOT NULL,
	"authority" text NOT NULL,
	"source_url" text,
	"effective_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_by_name" text NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"cancelled_by_name" text,
	"cancel_reason" text
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"declaration_id" text NOT NULL,
	"cause" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"payload" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"relayed_at" timestamp with time zone,
	CONSTRAINT "outbox_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "scheme_levels" (
	"scheme_id" text NOT NULL,
	"code" text NOT NULL,
	"rank" integer NOT NULL,
	"name" text NOT NULL,
	"color" text,
	"description" text NOT NULL,
	"measures" jsonb NOT NULL,
	"cap_severity" text NOT NULL,
	CONSTRAINT "scheme_levels_scheme_id_code_pk" PRIMARY KEY("scheme_id","code"),
	CONSTRAINT "scheme_levels_rank_unique" UNIQUE("scheme_id","rank")
);
--> statement-breakpoint
CREATE TABLE "schemes" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"event" text NOT NULL,
	"description" text NOT NULL,
	"authority" text NOT NULL,
	"country" text,
	"builtin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "declaration_areas" ADD CONSTRAINT "declaration_areas_declaration_id_declarations_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."declarations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declarations" ADD CONSTRAINT "declarations_scheme_id_level_code_scheme_levels_scheme_id_code_fk" FOREIGN KEY ("scheme_id","level_code") REFERENCES "public"."scheme_levels"("scheme_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_declaration_id_declarations_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."declarations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheme_levels" ADD CONSTRAINT "scheme_levels_scheme_id_schemes_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "public"."schemes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "declaration_areas_area_idx" ON "declaration_areas" USING btree ("area_code","scheme_id","effective_at");--> statement-breakpoint
CREATE INDEX "declaration_areas_country_idx" ON "declaration_areas" USING btree ("country_code","scheme_id","effective_at");--> statement-breakpoint
CREATE INDEX "declarations_created_idx" ON "declarations" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("due_at") WHERE "outbox"."relayed_at" is null;