-- Claims look only at open rows: partial indexes stay as small as the backlog however many done rows there are.
CREATE INDEX ix_inbox_pending_due ON webhook_inbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX ix_inbox_partition_open ON webhook_inbox (partition_key, id) WHERE status IN ('pending', 'processing');
