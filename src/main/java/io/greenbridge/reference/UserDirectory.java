package io.greenbridge.reference;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.beamery.BeameryValues;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;

/**
 * Greenhouse users ↔ Beamery users, matched by lower-cased email (the {@code user} links), plus the Beamery
 * users the mappings fall back to: the default user for unmatched Greenhouse users and the vacancy owner.
 */
@Component
public class UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);
    /** Beamery's user list changes rarely; the reference run refreshes it, other callers reuse it this long. */
    private static final Duration BEAMERY_USERS_TTL = Duration.ofMinutes(5);

    private final HarvestClient harvest;
    private final BeameryClient beamery;
    private final LinkStore links;
    private final UnmatchedUsers unmatched;
    private final GreenbridgeProperties props;
    private volatile Snapshot snapshot;

    private record Snapshot(List<JsonNode> users, Map<String, String> idByEmail, Instant fetchedAt) {
    }

    public UserDirectory(HarvestClient harvest, BeameryClient beamery, LinkStore links, UnmatchedUsers unmatched,
                         GreenbridgeProperties props) {
        this.harvest = harvest;
        this.beamery = beamery;
        this.links = links;
        this.unmatched = unmatched;
        this.props = props;
    }

    /** Reads Beamery's user list again now. */
    public void refresh() {
        refresh(beamery.listUsers());
    }

    /** Route step: Beamery's user list (the body of {@code beamery:list?resource=users}) becomes the directory. */
    public void refresh(List<JsonNode> users) {
        Map<String, String> byEmail = new LinkedHashMap<>();
        for (JsonNode u : users) {
            BeameryValues.strings(u.path("email")).forEach(e -> byEmail.putIfAbsent(lower(e), u.path("id").asText()));
            BeameryValues.strings(u.path("emails")).forEach(e -> byEmail.putIfAbsent(lower(e), u.path("id").asText()));
        }
        snapshot = new Snapshot(users, byEmail, Instant.now());
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null || s.fetchedAt().plus(BEAMERY_USERS_TTL).isBefore(Instant.now())) {
            refresh();
            s = snapshot;
        }
        return s;
    }

    /**
     * Links one Greenhouse v3 user to the Beamery user with one of its emails, or reports it unmatched.
     * @return created (new link), updated (link moved), unchanged, or skipped (no match)
     */
    public String match(JsonNode ghUser) {
        String ghId = ghUser.path("id").asText();
        Optional<String> beameryId = emails(ghUser).stream().map(current().idByEmail()::get)
                .filter(java.util.Objects::nonNull).findFirst();
        Optional<LinkStore.Link> link = links.byGreenhouseId(LinkKinds.USER, ghId);
        if (beameryId.isEmpty()) {
            link.ifPresent(l -> links.remove(LinkKinds.USER, ghId));
            if (!ghUser.path("deactivated").asBoolean(false)) {
                unmatched.record(ghId, ghUser.path("name").asText(null));
            }
            return "skipped";
        }
        unmatched.resolved(ghId);
        if (link.isPresent() && link.get().beameryId().equals(beameryId.get())) {
            return "unchanged";
        }
        links.put(LinkKinds.USER, ghId, beameryId.get(), null);
        return link.isPresent() ? "updated" : "created";
    }

    /**
     * Beamery user ids of these Greenhouse users (absent when unmatched). Users with no link yet are read from
     * Harvest in {@code ids=} batches and matched now; users already reported unmatched wait for the reference run.
     */
    public Map<String, String> beameryIds(Collection<String> greenhouseUserIds) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> unknown = new HashSet<>();
        for (String id : new HashSet<>(greenhouseUserIds)) {
            Optional<LinkStore.Link> link = links.byGreenhouseId(LinkKinds.USER, id);
            if (link.isPresent()) {
                out.put(id, link.get().beameryId());
            } else if (!unmatched.contains(id)) {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            for (JsonNode u : harvest.listByIds("users", "ids", unknown, Map.of())) {
                match(u);
                links.byGreenhouseId(LinkKinds.USER, u.path("id").asText()).ifPresent(l -> out.put(l.greenhouseId(), l.beameryId()));
            }
        }
        return out;
    }

    /** The Beamery user that stands in for unmatched Greenhouse users (greenbridge.reference.default-user-email). */
    public Optional<String> defaultUserId() {
        return byEmail(props.reference().defaultUserEmail(), "greenbridge.reference.default-user-email");
    }

    /** The owner of new vacancies: the configured default owner, else the first user of Beamery's user list. */
    public Optional<String> ownerId() {
        Optional<String> configured = byEmail(props.vacancies().defaultOwnerEmail(), "greenbridge.vacancies.default-owner-email");
        if (configured.isPresent()) {
            return configured;
        }
        return current().users().stream().findFirst().map(u -> u.path("id").asText());
    }

    private Optional<String> byEmail(String email, String setting) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        Optional<String> id = Optional.ofNullable(current().idByEmail().get(lower(email)));
        if (id.isEmpty()) {
            LOG.warn("No Beamery user has the email configured in {}", setting);
        }
        return id;
    }

    private static Set<String> emails(JsonNode ghUser) {
        Set<String> out = new java.util.LinkedHashSet<>();
        BeameryValues.strings(ghUser.path("primary_email")).forEach(e -> out.add(lower(e)));
        BeameryValues.strings(ghUser.path("emails")).forEach(e -> out.add(lower(e)));
        return out;
    }

    private static String lower(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
