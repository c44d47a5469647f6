-- Claims look only at open rows of a partition: with status in the key, a million done rows are never scanned.
CREATE INDEX ix_inbox_partition_open ON webhook_inbox (partition_key, status, id);
