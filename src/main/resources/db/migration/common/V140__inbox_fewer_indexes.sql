-- Every index on webhook_inbox is written by every webhook's commit (on H2 a commit rewrites one page path per
-- index), so an index must serve a query the others do not.
-- (partition_key, id): the claim's per-partition look-ups use the open-rows index of V131; the erasure lookup
-- ORs in entity_id, which has no index, so it scans either way.
DROP INDEX IF EXISTS ix_inbox_partition;
-- (claimed_by): every query on claimed_by also says status = 'processing' (a short range of ix_inbox_due) or id = ?.
DROP INDEX IF EXISTS ix_inbox_claimed_by;
-- (status, processed_at): retention filters on COALESCE(processed_at, received_at), which no index ranges over;
-- the status prefix it used is the one of ix_inbox_due.
DROP INDEX IF EXISTS ix_inbox_finished;
-- UNIQUE (dedupe_key): the content key is refused by the primary key of CAMEL_MESSAGEPROCESSED in the same
-- transaction (InboxStore.accept), which is the dedupe window retention keeps; this was a second copy of it.
ALTER TABLE webhook_inbox DROP CONSTRAINT IF EXISTS uq_inbox_dedupe;
