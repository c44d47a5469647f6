-- Claims look only at open rows: partial indexes stay as small as the backlog however many done rows there are.
-- Pending rows in id order (the claim's ORDER BY id walks this, not the primary key over every done row).
CREATE INDEX ix_inbox_pending ON webhook_inbox (id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_inbox_partition_open ON webhook_inbox (partition_key, id) WHERE status IN ('pending', 'processing');
