-- Retention (store.Retention) deletes old rows in batches; these indexes keep each batch an index range scan.
CREATE INDEX ix_inbox_finished ON webhook_inbox (status, processed_at);
CREATE INDEX ix_camel_processed_created ON CAMEL_MESSAGEPROCESSED (createdAt);
CREATE INDEX ix_sync_runs_finished ON sync_runs (finished_at);
CREATE INDEX ix_outbox_done ON outbox (status, done_at);
-- A dead letter an operator dismissed (POST /api/dead-letters/{id}/dismiss) is closed without a replay.
ALTER TABLE dead_letters ADD COLUMN dismissed_at TIMESTAMP WITH TIME ZONE;
