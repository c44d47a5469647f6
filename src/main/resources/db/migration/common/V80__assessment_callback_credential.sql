-- The Greenhouse PATCH callback is sent with the company's key as Basic username (as Greenhouse calls us); the key is
-- kept AES-GCM-sealed under GREENBRIDGE_DATA_KEY, per invitation, and cleared once the callback succeeded.
ALTER TABLE invitations ADD COLUMN callback_credential TEXT;
-- A dead invitation e-mail no longer keeps a working token in clear: replaying it issues a fresh token.
UPDATE outbox SET payload = NULL WHERE status = 'dead';
-- send_test's rate limits count recent invitations per company and per recipient.
CREATE INDEX ix_invitations_created ON invitations (created_at);
