-- The invitation email needs the candidate token in clear, which the invitation stores only hashed: the outbox row
-- carries it until the email is sent (then it is cleared).
ALTER TABLE outbox ADD COLUMN payload TEXT;
