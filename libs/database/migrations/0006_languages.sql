ALTER TABLE "declarations" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "email_subscriptions" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "scheme_levels" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "schemes" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;