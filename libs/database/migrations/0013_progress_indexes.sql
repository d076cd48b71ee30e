CREATE INDEX "deliveries_event_idx" ON "deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "outbox_declaration_idx" ON "outbox" USING btree ("declaration_id");