package io.greenbridge.outbound;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Echo suppression for Beamery contacts ({@code outbound_state}): the projection hash of what Greenbridge itself
 * wrote into a contact (inbound), of what it last sent to Greenhouse (outbound) with the body sent, and of a push
 * that failed for good. The poll sends a contact only when its projection matches none of them.
 *
 * <p>Contract for the Greenhouse → Beamery flow: after writing a contact, call
 * {@link #recordInbound(String, JsonNode)} with the contact as Beamery answered the write.
 */
@Component
public class OutboundState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcTemplate jdbc;

    public OutboundState(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** One contact's row; any part may be null. */
    public record State(String inboundHash, String outboundHash, JsonNode sentBody, String failedHash) {
        static final State NONE = new State(null, null, null, null);

        /** True when this projection hash is something Greenbridge wrote, sent, or already failed to send. */
        public boolean knows(String hash) {
            return hash.equals(inboundHash) || hash.equals(outboundHash) || hash.equals(failedHash);
        }
    }

    public State get(String contactId) {
        return jdbc.query("SELECT inbound_hash, outbound_hash, sent_body, failed_hash FROM outbound_state WHERE beamery_id = ?",
                (rs, i) -> new State(rs.getString(1), rs.getString(2), parse(rs.getString(3)), rs.getString(4)),
                contactId).stream().findFirst().orElse(State.NONE);
    }

    /** Greenbridge wrote {@code contactAfterWrite} into Beamery: the poll will not send this state back to Greenhouse. */
    public void recordInbound(String contactId, JsonNode contactAfterWrite) {
        upsert(contactId, "inbound_hash = ?", ContactProjection.hash(contactAfterWrite));
    }

    /** Greenhouse now holds {@code sentBody} for this contact, whose projection hash is {@code hash}. */
    public void recordSent(String contactId, String hash, JsonNode sentBody) {
        upsert(contactId, "outbound_hash = ?, sent_body = ?, failed_hash = NULL", hash, sentBody.toString());
    }

    /** A push of this projection failed for good (dead-lettered); not retried until the contact changes. */
    public void recordFailed(String contactId, String hash) {
        upsert(contactId, "failed_hash = ?", hash);
    }

    public void forget(String contactId) {
        jdbc.update("DELETE FROM outbound_state WHERE beamery_id = ?", contactId);
    }

    private void upsert(String contactId, String assignments, Object... values) {
        Timestamp now = Timestamp.from(Instant.now());
        Object[] args = new Object[values.length + 2];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = now;
        args[values.length + 1] = contactId;
        String update = "UPDATE outbound_state SET " + assignments + ", updated_at = ? WHERE beamery_id = ?";
        if (jdbc.update(update, args) > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO outbound_state (beamery_id, updated_at) VALUES (?, ?)", contactId, now);
        } catch (DuplicateKeyException e) {
            // another writer inserted the row first; the update below lands on it
        }
        jdbc.update(update, args);
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            return null; // an unreadable baseline only means the next update sends every field
        }
    }
}
