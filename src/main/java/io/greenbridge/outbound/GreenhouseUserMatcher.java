package io.greenbridge.outbound;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.LinkStore;

/**
 * Beamery user id → Greenhouse user id, by lower-cased email: the {@code user} links of the reference sync first,
 * else Beamery's user list and {@code GET /v3/users?primary_email=}, remembered as a link. Answers (also "no match")
 * are kept in memory for a batch, so a bulk push asks each system once per user.
 */
@Component
public class GreenhouseUserMatcher {
    private final LinkStore links;
    private final BeameryClient beamery;
    private final HarvestClient harvest;
    private final Map<String, Optional<Long>> known = new ConcurrentHashMap<>();
    private volatile Map<String, String> beameryEmails;

    public GreenhouseUserMatcher(LinkStore links, BeameryClient beamery, HarvestClient harvest) {
        this.links = links;
        this.beamery = beamery;
        this.harvest = harvest;
    }

    /** Forgets what the last batch learnt (users come and go between polls). */
    public void newBatch() {
        known.clear();
        beameryEmails = null;
    }

    public Optional<Long> greenhouseUserId(String beameryUserId) {
        if (beameryUserId == null || beameryUserId.isBlank()) {
            return Optional.empty();
        }
        return known.computeIfAbsent(beameryUserId, this::match);
    }

    private Optional<Long> match(String beameryUserId) {
        Optional<Long> linked = links.byBeameryId("user", beameryUserId).map(l -> Long.valueOf(l.greenhouseId()));
        if (linked.isPresent()) {
            return linked;
        }
        String email = beameryEmails().get(beameryUserId);
        if (email == null) {
            return Optional.empty();
        }
        Optional<Long> found = harvest.stream("users", Map.of("primary_email", email, "per_page", "1"))
                .filter(u -> email.equals(u.path("primary_email").asText("").toLowerCase(Locale.ROOT)))
                .map(u -> u.path("id").asLong()).findFirst();
        found.ifPresent(id -> links.put("user", String.valueOf(id), beameryUserId, null));
        return found;
    }

    private Map<String, String> beameryEmails() {
        Map<String, String> emails = beameryEmails;
        if (emails == null) {
            Map<String, String> loaded = new ConcurrentHashMap<>();
            for (JsonNode u : beamery.listUsers()) {
                String email = u.path("email").asText("").trim().toLowerCase(Locale.ROOT);
                if (!email.isEmpty()) {
                    loaded.put(u.path("id").asText(), email);
                }
            }
            beameryEmails = emails = loaded;
        }
        return emails;
    }
}
