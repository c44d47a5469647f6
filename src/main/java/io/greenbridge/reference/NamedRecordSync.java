package io.greenbridge.reference;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * Greenhouse sources and departments as Beamery sources and departments ({@code source} / {@code department}
 * links). Beamery's API can only list and create them, so "update" means: a Greenhouse record renamed (or first
 * met) is linked to the Beamery record of that name, created when there is none. The link's hash is the name
 * last linked, so an unchanged name costs no Beamery call.
 */
@Component
public class NamedRecordSync {
    public enum Kind {
        SOURCE("source", "gh-source-"), DEPARTMENT("department", "gh-department-");

        final String link;
        final String externalPrefix;

        Kind(String link, String externalPrefix) {
            this.link = link;
            this.externalPrefix = externalPrefix;
        }
    }

    private final BeameryClient beamery;
    private final LinkStore links;
    /** Beamery's records by lower-cased name, read once per kind until {@link #forget} (start of each reference run). */
    private final Map<Kind, Map<String, String>> byName = new ConcurrentHashMap<>();

    public NamedRecordSync(BeameryClient beamery, LinkStore links) {
        this.beamery = beamery;
        this.links = links;
    }

    /** Drops the cached Beamery lists, so the next call reads them again. */
    public void forget() {
        byName.clear();
    }

    /** Links one Greenhouse record by name; returns created, updated, unchanged or skipped (no name). */
    public String sync(Kind kind, JsonNode ghRecord) {
        return upsert(kind, ghRecord).outcome();
    }

    /** The Beamery id for a Greenhouse department (linked or created on first use); empty when it has no name. */
    public Optional<String> beameryId(Kind kind, JsonNode ghRecord) {
        return Optional.ofNullable(upsert(kind, ghRecord).beameryId());
    }

    private record Result(String outcome, String beameryId) {
    }

    private synchronized Result upsert(Kind kind, JsonNode ghRecord) {
        String ghId = ghRecord.path("id").asText();
        String name = ghRecord.path("name").asText("").trim();
        if (name.isEmpty()) {
            return new Result("skipped", null);
        }
        Optional<LinkStore.Link> link = links.byGreenhouseId(kind.link, ghId);
        if (link.isPresent() && name.equals(link.get().contentHash())) {
            return new Result("unchanged", link.get().beameryId());
        }
        Map<String, String> names = names(kind);
        String id = names.get(key(name));
        boolean created = false;
        if (id == null) {
            try {
                id = create(kind).apply(name, kind.externalPrefix + ghId).path("id").asText();
                created = true;
            } catch (RemoteCallException e) {
                if (e.status() != 409) {
                    throw e;
                }
                byName.remove(kind); // created meanwhile by someone else: read the list again
                id = Optional.ofNullable(names(kind).get(key(name))).orElseThrow(() -> e);
            }
            names.put(key(name), id);
        }
        links.put(kind.link, ghId, id, name);
        return new Result(created ? "created" : "updated", id);
    }

    private BiFunction<String, String, JsonNode> create(Kind kind) {
        return kind == Kind.SOURCE ? beamery::createSource : beamery::createDepartment;
    }

    private Map<String, String> names(Kind kind) {
        return byName.computeIfAbsent(kind, k -> {
            Supplier<List<JsonNode>> list = k == Kind.SOURCE ? beamery::listSources : beamery::listDepartments;
            Map<String, String> out = new ConcurrentHashMap<>();
            list.get().forEach(r -> out.putIfAbsent(key(r.path("name").asText("")), r.path("id").asText()));
            return out;
        });
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
