-- Contacts out (Beamery → Greenhouse): what was last sent, so an edit PATCHes only the fields that changed,
-- and the projection hash of a push that failed for good, so the poll does not retry it until the contact changes.
ALTER TABLE outbound_state ADD COLUMN sent_body TEXT;
ALTER TABLE outbound_state ADD COLUMN failed_hash VARCHAR(100);
