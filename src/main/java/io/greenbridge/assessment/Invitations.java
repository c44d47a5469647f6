package io.greenbridge.assessment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.DataKeys;
import io.greenbridge.support.Hashes;

/**
 * Invitations and their results. Each write that has a side effect (an email, a Greenhouse callback) queues it in
 * the outbox in the same transaction, so the effect happens if and only if the write did.
 */
@Component
public class Invitations {
    private static final String COLUMNS = "id, company_id, partner_test_id, candidate_email, candidate_first_name, "
            + "candidate_last_name, callback_url, sent_by, status, created_at, started_at, completed_at, expires_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AssessmentOutbox outbox;
    private final ObjectMapper json;
    private final GreenbridgeProperties.Assessment settings;
    private final DataKeys dataKeys;

    public Invitations(JdbcTemplate jdbc, TransactionTemplate tx, AssessmentOutbox outbox, ObjectMapper json,
            GreenbridgeProperties props, DataKeys dataKeys) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
        this.json = json;
        this.settings = props.assessment();
        this.dataKeys = dataKeys;
    }

    /** The outcome of send_test: the interview id, and whether this call created it (false: a retried request). */
    public record Sent(String partnerInterviewId, boolean created) {
    }

    /**
     * Creates the invitation and queues its email, or returns the invitation an identical earlier request created
     * (same company, Greenhouse callback url and test), also when two identical requests race. {@code apiKey} is the
     * key Greenhouse called with; it authenticates the later PATCH callback and is stored only sealed.
     */
    /** The invitation an identical earlier send_test created, if any. */
    public Optional<String> earlier(Tenant tenant, SendTestRequest req) {
        return idByRequestKey(requestKey(tenant, req));
    }

    private static String requestKey(Tenant tenant, SendTestRequest req) {
        return Hashes.sha256Hex(tenant.companyId() + "\n" + req.callbackUrl() + "\n" + req.partnerTestId());
    }

    public Sent send(Tenant tenant, SendTestRequest req, String apiKey) {
        String requestKey = requestKey(tenant, req);
        Optional<String> earlier = idByRequestKey(requestKey);
        if (earlier.isPresent()) {
            return new Sent(earlier.get(), false);
        }
        String id = UUID.randomUUID().toString();
        String token = Secrets.random256();
        OffsetDateTime now = Tenants.now();
        try {
            tx.executeWithoutResult(s -> {
                jdbc.update("INSERT INTO invitations (id, company_id, user_id, partner_test_id, request_key, token_hash, "
                                + "candidate_email, candidate_first_name, candidate_last_name, candidate_json, callback_url, "
                                + "sent_by, status, created_at, expires_at, callback_credential) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        id, tenant.companyId(), tenant.userId(), req.partnerTestId(), requestKey, Hashes.sha256Hex(token),
                        req.email(), req.firstName(), req.lastName(), req.candidate().toString(), req.callbackUrl(),
                        req.sentBy(), Invitation.SENT, now, now.plus(settings.tokenTtl()),
                        apiKey == null ? null : dataKeys.encrypt(apiKey));
                outbox.enqueue(AssessmentOutbox.INVITATION_EMAIL, id, outbox.seal(token));
            });
            return new Sent(id, true);
        } catch (DuplicateKeyException race) {
            return new Sent(idByRequestKey(requestKey).orElseThrow(() -> race), false);
        }
    }

    public Optional<Invitation> find(String companyId, String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invitations WHERE id = ? AND company_id = ?", this::invitation,
                id, companyId).stream().findFirst();
    }

    public Optional<Invitation> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invitations WHERE id = ?", this::invitation, id).stream().findFirst();
    }

    public Optional<Invitation> findByToken(String token) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invitations WHERE token_hash = ?", this::invitation,
                Hashes.sha256Hex(token)).stream().findFirst();
    }

    public List<Invitation> list(String companyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invitations WHERE company_id = ? ORDER BY created_at DESC, id",
                this::invitation, companyId);
    }

    /** The candidate opened the link: sent → started (later visits keep the first time). */
    public void markStarted(String id) {
        jdbc.update("UPDATE invitations SET status = ?, started_at = ? WHERE id = ? AND status = ?",
                Invitation.STARTED, Tenants.now(), id, Invitation.SENT);
    }

    /** The key the PATCH callback authenticates with (unsealed), if one was kept. */
    Optional<String> callbackCredential(String id) {
        return jdbc.queryForList("SELECT callback_credential FROM invitations WHERE id = ?", String.class, id).stream()
                .filter(c -> c != null).findFirst().map(dataKeys::decrypt);
    }

    /** The callback succeeded: its credential is no longer needed at rest. */
    void forgetCallbackCredential(String id) {
        jdbc.update("UPDATE invitations SET callback_credential = NULL WHERE id = ?", id);
    }

    /** Withdraws an unfinished invitation: its link stops working. False when it is not this company's or is done. */
    public boolean revoke(String companyId, String id) {
        return jdbc.update("UPDATE invitations SET status = ? WHERE id = ? AND company_id = ? AND status IN (?, ?)",
                Invitation.REVOKED, id, companyId, Invitation.SENT, Invitation.STARTED) > 0;
    }

    public Optional<AssessmentResult> result(String invitationId) {
        return jdbc.query("SELECT score, profile_url, traits_json, started_at, completed_at FROM assessment_results "
                + "WHERE invitation_id = ?", (rs, i) -> new AssessmentResult(rs.getDouble(1), rs.getString(2),
                traits(rs.getString(3)), rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class)),
                invitationId).stream().findFirst();
    }

    /**
     * Stores the results once, completes the invitation and queues the Greenhouse callback. False when results were
     * already stored (a repeat: no second effect).
     */
    public boolean complete(String invitationId, AssessmentResult r) {
        if (result(invitationId).isPresent()) {
            return false;
        }
        try {
            tx.executeWithoutResult(s -> {
                jdbc.update("INSERT INTO assessment_results (invitation_id, score, profile_url, traits_json, started_at, "
                                + "completed_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        invitationId, r.score(), r.profileUrl(), write(r.traits()), r.startedAt(), r.completedAt(),
                        Tenants.now());
                jdbc.update("UPDATE invitations SET status = ?, completed_at = ?, started_at = COALESCE(started_at, ?) "
                        + "WHERE id = ?", Invitation.COMPLETE, r.completedAt(), r.startedAt(), invitationId);
                outbox.enqueue(AssessmentOutbox.GREENHOUSE_CALLBACK, invitationId, null);
            });
            return true;
        } catch (DuplicateKeyException race) {
            return false;
        }
    }

    /** Invitation counts per stored status, for the status page. */
    public Map<String, Integer> countsByStatus() {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbc.query("SELECT status, COUNT(*) FROM invitations GROUP BY status ORDER BY status",
                rs -> { out.put(rs.getString(1), rs.getInt(2)); });
        return out;
    }

    private Invitation invitation(ResultSet rs, int row) throws SQLException {
        return new Invitation(rs.getString("id"), rs.getString("company_id"), rs.getString("partner_test_id"),
                rs.getString("candidate_email"), rs.getString("candidate_first_name"), rs.getString("candidate_last_name"),
                rs.getString("callback_url"), rs.getString("sent_by"), rs.getString("status"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class), rs.getObject("expires_at", OffsetDateTime.class));
    }

    private Optional<String> idByRequestKey(String requestKey) {
        return jdbc.queryForList("SELECT id FROM invitations WHERE request_key = ?", String.class, requestKey)
                .stream().findFirst();
    }

    private String write(Map<String, Number> traits) {
        try {
            return json.writeValueAsString(traits);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Number> traits(String text) {
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, Number>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored traits are not JSON", e);
        }
    }
}
