package io.greenbridge.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Erases every stored copy of one Greenhouse person's data (anonymized or deleted in Greenhouse): the raw webhook
 * payloads become id-only stubs (rows kept for ordering and dedupe), dead letters about the person keep their reason
 * with the person's e-mails and names masked and lose payload and response bodies, the assessment invitations lose
 * e-mail, names and candidate JSON, and the last body sent to Greenhouse for the contact is dropped. Dedupe keys
 * (CAMEL_MESSAGEPROCESSED) hold only event ids, entity ids, timestamps and SHA-256 digests, so they stay.
 */
@Component
public class PersonErasure {
    private static final Logger LOG = LoggerFactory.getLogger(PersonErasure.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MASK = "[erased]";
    /** Actions whose entity id is a candidate id (the rest of a candidate's events share its partition). */
    private static final List<String> PERSON_ACTIONS = List.of("update_candidate", "delete_candidate", "merge_candidate",
            "candidate_anonymized");
    /** Id fields a stub keeps, relative to {@code payload}: what the flows need to re-read the state from Harvest. */
    private static final List<String> STUB_IDS = List.of("application.id", "application.candidate.id",
            "application.candidate_id", "application.job_id", "candidate.id", "person.id", "person.new_candidate_id",
            "candidate_id", "job.id");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PersonErasure(DataSource dataSource, PlatformTransactionManager txManager) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(txManager);
    }

    /** Who was erased and the e-mails found in the stored copies (for the tombstone: Greenhouse may have none left). */
    public record Erased(String greenhouseId, Set<String> emails, int inboxRows, int deadLetters, int invitations) {
    }

    /**
     * Erases the stored copies of candidate {@code greenhouseId} (and of Beamery contact {@code contactId}, when
     * linked). {@code knownEmails} (from Harvest or Beamery) widen the search for invitations. Idempotent.
     */
    public Erased erase(String greenhouseId, String contactId, Collection<String> knownEmails) {
        return tx.execute(status -> {
            Set<String> emails = new LinkedHashSet<>();
            Set<String> names = new LinkedHashSet<>();
            knownEmails.stream().filter(e -> e != null && !e.isBlank()).map(PersonErasure::normal).forEach(emails::add);

            List<long[]> rows = new ArrayList<>();
            List<String[]> payloads = new ArrayList<>();
            jdbc.query("SELECT id, action, payload FROM webhook_inbox WHERE partition_key = ? OR (entity_id = ? AND action IN ("
                    + placeholders(PERSON_ACTIONS.size()) + "))", rs -> {
                        rows.add(new long[] {rs.getLong(1)});
                        payloads.add(new String[] {rs.getString(2), rs.getString(3)});
                    }, args("candidate:" + greenhouseId, greenhouseId, PERSON_ACTIONS));
            List<Long> inboxIds = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                collect(payloads.get(i)[1], emails, names);
                jdbc.update("UPDATE webhook_inbox SET payload = ?, last_error = NULL WHERE id = ?",
                        stub(payloads.get(i)[0], payloads.get(i)[1]), rows.get(i)[0]);
                inboxIds.add(rows.get(i)[0]);
            }

            List<String> invitationIds = invitations(greenhouseId, emails);
            for (String id : invitationIds) {
                jdbc.query("SELECT candidate_email, candidate_first_name, candidate_last_name FROM invitations WHERE id = ?",
                        rs -> {
                            add(emails, rs.getString(1));
                            addName(names, rs.getString(2));
                            addName(names, rs.getString(3));
                        }, id);
                jdbc.update("UPDATE invitations SET candidate_email = '', candidate_first_name = NULL,"
                        + " candidate_last_name = NULL, candidate_json = '{}' WHERE id = ?", id);
                // an invitation e-mail not sent yet has no address left to go to
                jdbc.update("UPDATE outbox SET payload = NULL, status = CASE WHEN status = 'pending' AND kind = 'invitation-email'"
                        + " THEN 'dead' ELSE status END, last_error = CASE WHEN status = 'pending' AND kind = 'invitation-email'"
                        + " THEN 'candidate erased' ELSE last_error END WHERE ref = ?", id);
                jdbc.update("UPDATE response_errors SET body = '{}', errors = NULL WHERE partner_interview_id = ?", id);
            }

            int deadLetters = eraseDeadLetters(greenhouseId, contactId, inboxIds, invitationIds, emails, names);
            if (contactId != null) {
                jdbc.update("UPDATE outbound_state SET sent_body = NULL WHERE beamery_id = ?", contactId);
            }
            LOG.info("Erased stored copies of candidate {}: {} inbox payloads, {} dead letters, {} invitations",
                    greenhouseId, inboxIds.size(), deadLetters, invitationIds.size());
            return new Erased(greenhouseId, Set.copyOf(emails), inboxIds.size(), deadLetters, invitationIds.size());
        });
    }

    private int eraseDeadLetters(String greenhouseId, String contactId, List<Long> inboxIds, List<String> invitationIds,
                                 Set<String> emails, Set<String> names) {
        List<Object[]> found = new ArrayList<>();
        jdbc.query("SELECT id, source, ref, summary, reason, payload FROM dead_letters", rs -> {
            String source = rs.getString(2);
            String ref = rs.getString(3);
            boolean about = source.equals("inbox") ? ref != null && ref.matches("\\d+") && inboxIds.contains(Long.parseLong(ref))
                    : ref != null && (ref.equals(greenhouseId) || ref.equals(contactId) || invitationIds.contains(ref));
            if (about) {
                found.add(new Object[] {rs.getLong(1), rs.getString(4), rs.getString(5), rs.getString(6)});
            }
        });
        for (Object[] d : found) {
            String payload = (String) d[3];
            collect(payload, emails, names);
        }
        for (Object[] d : found) {
            String payload = (String) d[3];
            String reduced = payload == null ? null : stubOrNull(payload);
            jdbc.update("UPDATE dead_letters SET summary = ?, reason = ?, payload = ?, response = NULL WHERE id = ?",
                    mask((String) d[1], emails, names), mask((String) d[2], emails, names), reduced, d[0]);
        }
        return found.size();
    }

    /** Invitations of this person: by e-mail, or by the Greenhouse profile URL naming the candidate id. */
    private List<String> invitations(String greenhouseId, Set<String> emails) {
        Set<String> ids = new LinkedHashSet<>();
        Pattern profile = Pattern.compile("/people/" + Pattern.quote(greenhouseId) + "(?![0-9])");
        jdbc.query("SELECT id, candidate_json FROM invitations WHERE candidate_json LIKE ?", rs -> {
            if (profile.matcher(rs.getString(2)).find()) {
                ids.add(rs.getString(1));
            }
        }, "%/people/" + greenhouseId + "%");
        for (String email : emails) {
            ids.addAll(jdbc.queryForList("SELECT id FROM invitations WHERE LOWER(candidate_email) = ?", String.class, email));
        }
        return new ArrayList<>(ids);
    }

    /** The e-mails and names a stored webhook body carries (candidate, person or application.candidate). */
    static void collect(String body, Set<String> emails, Set<String> names) {
        JsonNode root = parse(body);
        if (root == null) {
            return;
        }
        JsonNode payload = root.path("payload");
        for (JsonNode person : List.of(payload.path("candidate"), payload.path("person"),
                payload.path("application").path("candidate"))) {
            addName(names, person.path("first_name").asText(null));
            addName(names, person.path("last_name").asText(null));
            for (JsonNode e : person.path("email_addresses")) {
                add(emails, e.path("value").asText(null));
            }
            add(emails, person.path("email").asText(null));
        }
    }

    /** {@code {"action": ..., "payload": {ids only}, "erased": true}}: still enough for a flow to re-read Harvest. */
    static String stub(String action, String body) {
        ObjectNode out = JSON.createObjectNode();
        out.put("action", action);
        ObjectNode stubPayload = out.putObject("payload");
        JsonNode payload = parse(body) == null ? JSON.createObjectNode() : parse(body).path("payload");
        for (String path : STUB_IDS) {
            String[] parts = path.split("\\.");
            JsonNode node = payload;
            for (String p : parts) {
                node = node.path(p);
            }
            if (node.isValueNode() && !node.isNull()) {
                ObjectNode target = stubPayload;
                for (int i = 0; i < parts.length - 1; i++) {
                    target = target.has(parts[i]) ? (ObjectNode) target.get(parts[i]) : target.putObject(parts[i]);
                }
                target.set(parts[parts.length - 1], node);
            }
        }
        out.put("erased", true);
        return out.toString();
    }

    private static String stubOrNull(String body) {
        JsonNode root = parse(body);
        return root != null && root.path("action").isTextual() ? stub(root.path("action").asText(), body) : null;
    }

    static String mask(String text, Set<String> emails, Set<String> names) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : emails) {
            out = Pattern.compile(Pattern.quote(s), Pattern.CASE_INSENSITIVE).matcher(out).replaceAll(MASK);
        }
        for (String s : names) {
            out = Pattern.compile("\\b" + Pattern.quote(s) + "\\b", Pattern.CASE_INSENSITIVE).matcher(out).replaceAll(MASK);
        }
        return out;
    }

    private static JsonNode parse(String body) {
        if (body == null) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void add(Set<String> emails, String email) {
        if (email != null && email.contains("@")) {
            emails.add(normal(email));
        }
    }

    /** Names worth masking: not Greenhouse's own "Anonymized" placeholder, not one or two letters. */
    private static void addName(Set<String> names, String name) {
        if (name != null && name.trim().length() > 2 && !name.trim().equalsIgnoreCase("Anonymized")
                && !name.trim().matches("[0-9]+")) {
            names.add(name.trim());
        }
    }

    private static String normal(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    private static Object[] args(String first, String second, List<String> rest) {
        List<Object> all = new ArrayList<>(List.of(first, second));
        all.addAll(rest);
        return all.toArray();
    }
}
