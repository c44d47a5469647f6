-- Nodes sharing this store and their check-ins (cluster.NodeRegistry). A node whose check-in is older than
-- three intervals is dead: a live node puts its claimed inbox events back in line and frees its candidate claims.
CREATE TABLE cluster_nodes (
    node_id      VARCHAR(200) PRIMARY KEY,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One claim per key ("<greenhouse candidate id>", "beamery:<contact id>", ...), owned by a node and held only while
-- the work runs; no lease: a dead owner's claims go with it (contact.CandidateLocks, cluster.NodeRegistry).
DROP TABLE candidate_claims;
CREATE TABLE candidate_claims (
    claim_key  VARCHAR(300) PRIMARY KEY,
    claimed_by VARCHAR(200) NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_candidate_claims_owner ON candidate_claims (claimed_by);
CREATE INDEX ix_inbox_claimed_by ON webhook_inbox (claimed_by);
