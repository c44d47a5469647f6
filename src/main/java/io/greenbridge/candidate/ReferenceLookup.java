package io.greenbridge.candidate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;

/**
 * The names and ids a contact mapping needs: source and rejection-reason names (reference_cache filled by the
 * reference sync, else Harvest, remembered in memory), Beamery vacancy ids of Greenhouse jobs (link {@code job})
 * and the Beamery user of a Greenhouse user (link {@code user}, else matched by lower-cased email).
 */
@Component
public class ReferenceLookup {
    private static final Duration USERS_TTL = Duration.ofMinutes(10);
    private static final Duration MISS_TTL = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final HarvestClient harvest;
    private final BeameryClient beamery;
    private final LinkStore links;
    private final Map<String, Optional<String>> names = new ConcurrentHashMap<>();
    private volatile Map<String, String> beameryUsersByEmail;
    private volatile Instant beameryUsersAt = Instant.EPOCH;

    public ReferenceLookup(DataSource dataSource, HarvestClient harvest, BeameryClient beamery, LinkStore links) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.harvest = harvest;
        this.beamery = beamery;
        this.links = links;
    }

    /** {@code kind} is source or rejection_reason. */
    public Optional<String> name(String kind, JsonNode id) {
        if (id == null || id.isNull() || id.isMissingNode()) {
            return Optional.empty();
        }
        String key = kind + ":" + id.asText();
        Optional<String> known = names.get(key);
        if (known != null) {
            return known;
        }
        Optional<String> found = cached(kind, id.asText())
                .or(() -> harvest.findById(kind + "s", id.asText()).map(r -> r.path("name").asText(null)));
        names.put(key, found);
        return found;
    }

    public Optional<String> vacancyOf(JsonNode jobId) {
        if (jobId == null || jobId.isNull() || jobId.isMissingNode()) {
            return Optional.empty();
        }
        return links.byGreenhouseId(LinkKinds.JOB, jobId.asText()).map(LinkStore.Link::beameryId);
    }

    /** The Beamery user of a Greenhouse user: the reference sync's link, else the same email in both systems. */
    public Optional<String> beameryUser(JsonNode greenhouseUserId) {
        if (greenhouseUserId == null || greenhouseUserId.isNull() || greenhouseUserId.isMissingNode()) {
            return Optional.empty();
        }
        String ghId = greenhouseUserId.asText();
        Optional<String> linked = links.byGreenhouseId(LinkKinds.USER, ghId).map(LinkStore.Link::beameryId);
        if (linked.isPresent()) {
            return linked;
        }
        Optional<String> email = cachedData("user", ghId).map(u -> u.path("primary_email").asText(null))
                .or(() -> harvest.findById("users", ghId).map(u -> u.path("primary_email").asText(null)));
        return email.map(e -> e.toLowerCase(Locale.ROOT)).map(e -> {
            String id = beameryUsers(false).get(e);
            return id != null ? id : beameryUsers(true).get(e);
        });
    }

    /** Beamery's users by email, read again after 10 minutes, or after 1 minute when a lookup missed. */
    private Map<String, String> beameryUsers(boolean missed) {
        Duration ttl = missed ? MISS_TTL : USERS_TTL;
        if (beameryUsersByEmail == null || Instant.now().isAfter(beameryUsersAt.plus(ttl))) {
            Map<String, String> byEmail = new ConcurrentHashMap<>();
            for (JsonNode u : beamery.listUsers()) {
                if (u.hasNonNull("email")) {
                    byEmail.putIfAbsent(u.get("email").asText().toLowerCase(Locale.ROOT), u.path("id").asText());
                }
            }
            beameryUsersByEmail = byEmail;
            beameryUsersAt = Instant.now();
        }
        return beameryUsersByEmail;
    }

    private Optional<String> cached(String kind, String id) {
        List<String> rows = jdbc.queryForList("SELECT name FROM reference_cache WHERE kind = ? AND ref_id = ?",
                String.class, kind, id);
        return rows.stream().filter(n -> n != null && !n.isBlank()).findFirst();
    }

    private Optional<JsonNode> cachedData(String kind, String id) {
        List<String> rows = jdbc.queryForList("SELECT data FROM reference_cache WHERE kind = ? AND ref_id = ?",
                String.class, kind, id);
        return rows.stream().filter(d -> d != null && !d.isBlank()).findFirst().map(d -> {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(d);
            } catch (java.io.IOException e) {
                return null;
            }
        });
    }
}
