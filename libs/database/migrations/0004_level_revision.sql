CREATE TABLE "level_revision" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"revision" bigint NOT NULL,
	CONSTRAINT "level_revision_one_row" CHECK ("level_revision"."id")
);

--> statement-breakpoint
-- Hand-written below: drizzle-kit does not model rows, functions or triggers.
INSERT INTO "level_revision" ("id", "revision") VALUES (true, 0);
--> statement-breakpoint
-- An upsert rather than an update, so the count goes on even if someone emptied the table. The row lock
-- is held to commit, so revisions follow commit order.
CREATE FUNCTION "bump_level_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "level_revision" ("id", "revision") VALUES (true, 1)
    ON CONFLICT ("id") DO UPDATE SET "revision" = "level_revision"."revision" + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "declarations_bump_level_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "declarations"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_level_revision"();
--> statement-breakpoint
CREATE TRIGGER "declaration_areas_bump_level_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "declaration_areas"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_level_revision"();
--> statement-breakpoint
CREATE TRIGGER "scheme_levels_bump_level_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "scheme_levels"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_level_revision"();
