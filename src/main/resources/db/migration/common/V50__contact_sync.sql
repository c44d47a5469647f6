-- Greenhouse candidates → Beamery contacts.

-- Cross-node claim on one candidate while it is synced, so webhooks, backfill and reconciliation on different
-- nodes never create two contacts for one person; an expired claim (dead node) is taken over.
CREATE TABLE candidate_claims (
    greenhouse_id VARCHAR(100) PRIMARY KEY,
    claimed_by    VARCHAR(200) NOT NULL,
    claimed_until TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Applications whose job had no Beamery vacancy yet when the candidate was synced; reconciliation re-syncs the
-- candidate once the job's vacancy exists.
CREATE TABLE candidate_pending_jobs (
    greenhouse_id VARCHAR(100) NOT NULL,
    job_id        VARCHAR(100) NOT NULL,
    noted_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_candidate_pending_jobs PRIMARY KEY (greenhouse_id, job_id)
);
