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
import java.util.concurrent.ConcurrentHashMap;

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
 * Greenhouse users ↔ Beamery users, matched by lower-cased email (the {@code user} links), in both directions for
 * every flow, plus the Beamery users the mappings fall back to: the default user for unmatched Greenhouse users and
 * the vacancy owner.
 * <p>One cache policy ({@code greenbridge.reference.users-cache-ttl}, 5 min): Beamery's user list and each answer
 * are kept that long; a lookup that misses reads Beamery's list once more and its "no match" is kept a fifth of
 * that (1 min), so a user added in either system is found on the next lookup and an unmatched one costs at most
 * one read a minute. A Beamery → Greenhouse match found through Harvest becomes a {@code user} link.
 */
@Component
public class UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private final HarvestClient harvest;
    private final BeameryClient beamery;
    private final LinkStore links;
    private final UnmatchedUsers unmatched;
    private final ReferenceCache cache;
    private final GreenbridgeProperties props;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    private record Snapshot(List<JsonNode> users, Map<String, String> idByEmail, Map<String, String> emailById,
                            Instant fetchedAt) {
    }

    private record Answer(Optional<String> value, Instant expires) {
    }

    public UserDirectory(HarvestClient harvest, BeameryClient beamery, LinkStore links, UnmatchedUsers unmatched,
                         ReferenceCache cache, GreenbridgeProperties props) {
        this.harvest = harvest;
        this.beamery = beamery;
        this.links = links;
        this.unmatched = unmatched;
        this.cache = cache;
        this.props = props;
    }

    /** Reads Beamery's user list again now. */
    public void refresh() {
        refresh(beamery.listUsers());
    }

    /** Route step: Beamery's user list (the body of {@code beamery:list?resource=users}) becomes the directory. */
    public void refresh(List<JsonNode> users) {
        Map<String, String> byEmail = new LinkedHashMap<>();
        Map<String, String> emailById = new LinkedHashMap<>();
        for (JsonNode u : users) {
            String id = u.path("id").asText();
            BeameryValues.strings(u.path("email")).forEach(e -> byEmail.putIfAbsent(lower(e), id));
            BeameryValues.strings(u.path("emails")).forEach(e -> byEmail.putIfAbsent(lower(e), id));
            BeameryValues.strings(u.path("email")).stream().findFirst().ifPresent(e -> emailById.put(id, lower(e)));
        }
        snapshot = new Snapshot(users, byEmail, emailById, Instant.now());
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null || s.fetchedAt().plus(ttl()).isBefore(Instant.now())) {
            refresh();
            s = snapshot;
        }
        return s;
    }

    /** The user list, read again when it does not know {@code wanted} (an answer is about to be cached as a miss). */
    private Snapshot knowing(java.util.function.Predicate<Snapshot> wanted) {
        Instant asked = Instant.now();
        Snapshot s = current();
        if (!wanted.test(s) && s.fetchedAt().isBefore(asked)) {
            refresh();
            s = snapshot;
        }
        return s;
    }

    private Duration ttl() {
        Duration ttl = props.reference() == null ? null : props.reference().usersCacheTtl();
        return ttl == null ? DEFAULT_TTL : ttl;
    }

    private Optional<String> answer(String key, java.util.function.Supplier<Optional<String>> lookup) {
        Answer known = answers.get(key);
        if (known != null && known.expires().isAfter(Instant.now())) {
            return known.value();
        }
        Optional<String> found = lookup.get();
        answers.put(key, new Answer(found, Instant.now().plus(found.isPresent() ? ttl() : ttl().dividedBy(5))));
        return found;
    }

    /**
     * The Beamery user of a Greenhouse user (contact mappings: recruiter, note author): the {@code user} link, else
     * the Greenhouse user's email (reference cache, else Harvest) in Beamery's user list.
     */
    public Optional<String> beameryUserId(String greenhouseUserId) {
        if (greenhouseUserId == null || greenhouseUserId.isBlank()) {
            return Optional.empty();
        }
        Optional<String> linked = links.byGreenhouseId(LinkKinds.USER, greenhouseUserId).map(LinkStore.Link::beameryId);
        if (linked.isPresent()) {
            return linked;
        }
        return answer("gh:" + greenhouseUserId, () -> {
            Set<String> emails = cache.get("user", greenhouseUserId).or(() -> harvest.findById("users", greenhouseUserId))
                    .map(UserDirectory::emails).orElse(Set.of());
            if (emails.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> byEmail = knowing(s -> emails.stream().anyMatch(s.idByEmail()::containsKey)).idByEmail();
            return emails.stream().map(byEmail::get).filter(java.util.Objects::nonNull).findFirst();
        });
    }

    /**
     * The Greenhouse user of a Beamery user (outbound: referrer, note author): the {@code user} link, else the
     * Beamery user's email asked of Harvest ({@code GET /v3/users?primary_email=}), remembered as a link.
     */
    public Optional<Long> greenhouseUserId(String beameryUserId) {
        if (beameryUserId == null || beameryUserId.isBlank()) {
            return Optional.empty();
        }
        Optional<String> linked = links.byBeameryId(LinkKinds.USER, beameryUserId).map(LinkStore.Link::greenhouseId);
        if (linked.isPresent()) {
            return linked.map(Long::valueOf);
        }
        return answer("bm:" + beameryUserId, () -> {
            String email = knowing(s -> s.emailById().containsKey(beameryUserId)).emailById().get(beameryUserId);
            if (email == null) {
                return Optional.empty();
            }
            Optional<String> found = harvest.stream("users", Map.of("primary_email", email, "per_page", "1"))
                    .filter(u -> email.equals(lower(u.path("primary_email").asText(""))))
                    .map(u -> u.path("id").asText()).findFirst();
            found.ifPresent(id -> links.put(LinkKinds.USER, id, beameryUserId, null));
            return found;
        }).map(Long::valueOf);
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
