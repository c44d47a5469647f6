package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.support.DataKeys;
import io.greenbridge.support.Hashes;

/**
 * Erasure that reaches every copy: after candidate_anonymized or delete_candidate, a scan of every table of the
 * store finds neither the person's e-mail nor their names; the tombstone is keyed, and a legacy plain-SHA-256
 * tombstone still holds (and is rewritten keyed when it matches).
 */
class PersonErasureTest extends ContactsTestSupport {
    @Autowired
    DeadLetterStore deadLetters;
    @Autowired
    AnonymizationGuard guard;
    @Autowired
    DataKeys keys;

    record Person(long id, String email, String first, String last, String contactId) {
    }

    /** A synced candidate whose data sits in the inbox, a dead letter, an invitation and the outbound state. */
    Person seeded(String who) {
        String first = "First" + UUID.randomUUID().toString().substring(0, 6);
        String last = "Last" + UUID.randomUUID().toString().substring(0, 6);
        String mail = email(who);
        long job = jobWithVacancy(unique("Erasure job"));
        long candidate = GH.candidate(first, last).email(mail).create();
        long application = GH.apply(candidate, job);
        deliver("update_candidate", payloads.updateCandidate(candidate));
        deliver("new_candidate_application", payloads.newCandidateApplication(application));
        awaitInboxIdle();
        String contactId = contactOf(candidate).path("id").asText();
        Long inboxId = jdbc.queryForObject("SELECT MIN(id) FROM webhook_inbox WHERE partition_key = ?", Long.class,
                "candidate:" + candidate);
        String payload = jdbc.queryForObject("SELECT payload FROM webhook_inbox WHERE id = ?", String.class, inboxId);
        assertThat(payload).contains(mail);
        deadLetters.record("inbox", String.valueOf(inboxId), "update_candidate " + candidate,
                "HTTP 422: " + mail + " (" + first + " " + last + ") refused", 422,
                "{\"message\":\"email " + mail + " invalid\"}", payload);
        deadLetters.record("candidate-sync", String.valueOf(candidate), "reconcile of candidate " + candidate,
                "contact for " + first + " failed", 500, "{\"name\":\"" + first + " " + last + "\"}", null);
        String company = "co-" + UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO companies (id, name, created_at) VALUES (?,?,?)", company, "Erasure Co", now);
        String invitation = "inv-" + UUID.randomUUID();
        jdbc.update("INSERT INTO invitations (id, company_id, user_id, partner_test_id, request_key, token_hash,"
                        + " candidate_email, candidate_first_name, candidate_last_name, candidate_json, callback_url, sent_by,"
                        + " status, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                invitation, company, "u1", "test-1", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                mail.toUpperCase(Locale.ROOT), first, last,
                "{\"first_name\":\"" + first + "\",\"last_name\":\"" + last + "\",\"email\":\"" + mail + "\","
                        + "\"greenhouse_profile_url\":\"https://app.greenhouse.io/people/" + candidate + "?application_id=1\"}",
                "https://api.greenhouse.io/cb", "recruiter@example.com", "sent", now, now);
        jdbc.update("INSERT INTO outbox (kind, ref, status, attempts, next_attempt_at, created_at, payload)"
                + " VALUES ('invitation-email', ?, 'pending', 0, ?, ?, ?)", invitation,
                Timestamp.from(Instant.now().plusSeconds(3600)), now, "{\"token\":\"t\",\"to\":\"" + mail + "\"}");
        jdbc.update("INSERT INTO response_errors (company_id, api_call, errors, partner_interview_id, body, received_at)"
                + " VALUES (?,?,?,?,?,?)", company, "send_test", "[\"" + mail + "\"]", invitation, "{\"email\":\"" + mail + "\"}", now);
        if (jdbc.update("UPDATE outbound_state SET sent_body = ? WHERE beamery_id = ?",
                "{\"first_name\":\"" + first + "\"}", contactId) == 0) {
            jdbc.update("INSERT INTO outbound_state (beamery_id, sent_body, updated_at) VALUES (?,?,?)", contactId,
                    "{\"first_name\":\"" + first + "\",\"email\":\"" + mail + "\"}", now);
        }
        Person p = new Person(candidate, mail, first, last, contactId);
        assertThat(tablesContaining(p)).as("seeded").contains("WEBHOOK_INBOX", "DEAD_LETTERS", "INVITATIONS",
                "OUTBOUND_STATE", "OUTBOX", "RESPONSE_ERRORS");
        return p;
    }

    @Test
    void afterCandidateAnonymizedNoTableHoldsTheEmailOrTheNames() {
        Person p = seeded("erase-anon");
        GH.anonymize(p.id(), List.of("full_name", "email_addresses"));
        deliver("candidate_anonymized", payloads.candidateAnonymized(p.id(), List.of("full_name", "email_addresses")));
        awaitInboxIdle();
        assertThat(BEAMERY.isAnonymized(p.contactId())).isTrue();
        assertThat(tablesContaining(p)).isEmpty();

        // rows are kept for ordering and dedupe, reduced to ids; reasons kept, masked
        assertThat(jdbc.queryForList("SELECT payload FROM webhook_inbox WHERE partition_key = ?", String.class,
                "candidate:" + p.id())).hasSizeGreaterThanOrEqualTo(3).allMatch(s -> s.contains("\"erased\":true")
                        && s.contains(String.valueOf(p.id())));
        assertThat(jdbc.queryForList("SELECT reason FROM dead_letters WHERE ref = ? OR summary LIKE ?", String.class,
                String.valueOf(p.id()), "%" + p.id() + "%")).anyMatch(r -> r.contains("HTTP 422: [erased]"));
        assertThat(jdbc.queryForObject("SELECT status FROM outbox WHERE kind = 'invitation-email' AND ref IN"
                + " (SELECT id FROM invitations WHERE candidate_email = '' AND candidate_json = '{}') ORDER BY id DESC"
                + " FETCH FIRST 1 ROWS ONLY", String.class)).isEqualTo("dead");

        // the tombstone holds the e-mail keyed under GREENBRIDGE_DATA_KEY, never its plain SHA-256
        String hashes = jdbc.queryForObject("SELECT email_hashes FROM anonymized_people WHERE greenhouse_id = ?",
                String.class, String.valueOf(p.id()));
        assertThat(hashes).contains("k1:" + keys.keyedHash(p.email())).doesNotContain(Hashes.sha256Hex(p.email()));
        assertThat(guard.anyEmailAnonymized(List.of(p.email().toUpperCase(Locale.ROOT)))).isTrue();
    }

    @Test
    void afterDeleteCandidateNoTableHoldsTheEmailOrTheNamesWithTheDefaultKeepAction() {
        Person p = seeded("erase-delete");
        GH.deleteCandidate(p.id());
        deliver("delete_candidate", payloads.deleteCandidate(p.id()));
        awaitInboxIdle();
        assertThat(matcher.linkedContact(String.valueOf(p.id()))).isEmpty();
        assertThat(tablesContaining(p)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE partition_key = ? AND status = 'dead'",
                Integer.class, "candidate:" + p.id())).isZero();
    }

    @Test
    void aLegacyPlainSha256TombstoneStillBlocksAndIsRewrittenKeyedWhenItMatches() {
        String mail = email("legacy");
        String other = email("legacy-other");
        jdbc.update("INSERT INTO anonymized_people (greenhouse_id, beamery_id, email_hashes, origin, anonymized_at)"
                        + " VALUES (?,?,?,?,?)", "legacy-" + UUID.randomUUID(), null,
                Hashes.sha256Hex(mail) + "," + Hashes.sha256Hex(other), "greenhouse", Timestamp.from(Instant.now()));
        assertThat(guard.anyEmailAnonymized(List.of(" " + mail.toUpperCase(Locale.ROOT)))).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM anonymized_people WHERE email_hashes LIKE ?", Integer.class,
                "%" + Hashes.sha256Hex(mail) + "%")).isZero();
        assertThat(guard.anyEmailAnonymized(List.of(mail))).isTrue();
        assertThat(guard.anyEmailAnonymized(List.of(other))).isTrue();
        assertThat(guard.anyEmailAnonymized(List.of(email("never")))).isFalse();
    }

    /** Every table of the store whose rows contain the person's e-mail or either name (case-insensitive). */
    List<String> tablesContaining(Person p) {
        List<String> needles = List.of(p.email().toLowerCase(Locale.ROOT), p.first().toLowerCase(Locale.ROOT),
                p.last().toLowerCase(Locale.ROOT));
        List<String> tables = jdbc.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'", String.class);
        assertThat(tables).contains("WEBHOOK_INBOX", "CAMEL_MESSAGEPROCESSED", "INVITATIONS", "QRTZ_JOB_DETAILS");
        List<String> hits = new ArrayList<>();
        for (String table : tables) {
            jdbc.query("SELECT * FROM \"" + table + "\"", rs -> {
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    String v = rs.getString(c);
                    if (v != null && needles.stream().anyMatch(v.toLowerCase(Locale.ROOT)::contains)) {
                        if (!hits.contains(table)) {
                            hits.add(table);
                        }
                    }
                }
            });
        }
        return hits;
    }
}
