package io.greenbridge.reference;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.routes.RouteDeadLetters;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.PermanentFailureException;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.sync.SyncCounts;

/**
 * Greenhouse sources and departments ↔ Beamery sources and departments ({@code source} / {@code department}
 * links), the mechanism behind routes/reference-sync.yaml. Beamery can only list and create them, so "update"
 * means: a Greenhouse record renamed (or first met) is linked to the Beamery record of that name, created when
 * there is none. The link's hash is the name last linked, so an unchanged name costs no Beamery call. The create
 * call itself (mapping and path) is the route {@code direct:reference-create-<kind>}, also used by
 * {@link #beameryId} when a vacancy meets a department before the reference run.
 */
@Component
public class NamedRecordSync {
    /** Headers the route steps share: the Greenhouse id and trimmed name, the link state and a known Beamery id. */
    public static final String GH_ID = "ghId";
    public static final String GH_NAME = "ghName";
    public static final String LINK_STATE = "linkState";
    public static final String BEAMERY_ID = "beameryId";

    public enum Kind {
        SOURCE(LinkKinds.SOURCE), DEPARTMENT(LinkKinds.DEPARTMENT);

        final String link;

        Kind(String link) {
            this.link = link;
        }

        static Kind of(String link) {
            for (Kind k : values()) {
                if (k.link.equals(link)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no named record kind " + link);
        }
    }

    private final BeameryClient beamery;
    private final LinkStore links;
    private final ProducerTemplate camel;
    /** Beamery's records by lower-cased name, per kind; the reference run replaces them ({@link #remember}). */
    private final Map<Kind, Map<String, String>> byName = new ConcurrentHashMap<>();

    public NamedRecordSync(BeameryClient beamery, LinkStore links, ProducerTemplate camel) {
        this.beamery = beamery;
        this.links = links;
        this.camel = camel;
    }

    // ---- route steps ---------------------------------------------------------------------------------------

    /** Step: Beamery's current records of this kind (the body of {@code beamery:list}) become the name cache. */
    public void remember(String kind, List<JsonNode> beameryRecords) {
        Map<String, String> names = new ConcurrentHashMap<>();
        beameryRecords.forEach(r -> names.putIfAbsent(key(r.path("name").asText("")), r.path("id").asText()));
        byName.put(Kind.of(kind), names);
    }

    /**
     * Step: decides what one Greenhouse record (the body) needs. Header {@value #LINK_STATE}: {@code skipped} (no
     * name), {@code unchanged} (linked under this name), {@code known} (Beamery has the name: link it) or {@code new}
     * (create it). Also sets {@value #GH_ID}, {@value #GH_NAME}, the dead-letter ref and the outcome so far.
     */
    public void check(String kind, Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Kind k = Kind.of(kind);
        Message m = exchange.getMessage();
        JsonNode record = m.getMandatoryBody(JsonNode.class);
        String ghId = record.path("id").asText();
        String name = record.path("name").asText("").trim();
        m.setHeader(GH_ID, ghId);
        m.setHeader(GH_NAME, name);
        m.setHeader(RouteDeadLetters.REF, k.link + " " + ghId);
        String state;
        if (name.isEmpty()) {
            state = "skipped";
        } else if (links.byGreenhouseId(k.link, ghId).filter(l -> name.equals(l.contentHash())).isPresent()) {
            state = "unchanged";
        } else if (names(k).containsKey(key(name))) {
            state = "known";
            m.setHeader(BEAMERY_ID, names(k).get(key(name)));
        } else {
            state = "new";
        }
        m.setHeader(LINK_STATE, state);
        m.setHeader(SyncCounts.OUTCOME, "new".equals(state) || "known".equals(state) ? "skipped" : state);
    }

    /** Step: links the record to the Beamery record of its name (header {@value #BEAMERY_ID} or the name cache). */
    public void linkExisting(String kind, Exchange exchange) {
        Kind k = Kind.of(kind);
        Message m = exchange.getMessage();
        String name = m.getHeader(GH_NAME, String.class);
        String id = Optional.ofNullable(m.getHeader(BEAMERY_ID, String.class)).orElseGet(() -> names(k).get(key(name)));
        if (id == null) {
            throw new PermanentFailureException("Beamery lists no " + k.link + " named as Greenhouse " + k.link + " "
                    + m.getHeader(GH_ID) + " after refusing to create it");
        }
        links.put(k.link, m.getHeader(GH_ID, String.class), id, name);
        m.setHeader(SyncCounts.OUTCOME, "updated");
    }

    /** Step: links the record to the Beamery record just created (the body is Beamery's answer). */
    public void linkCreated(String kind, Exchange exchange) {
        Kind k = Kind.of(kind);
        Message m = exchange.getMessage();
        String id = m.getBody(JsonNode.class) == null ? "" : m.getBody(JsonNode.class).path("id").asText("");
        if (id.isEmpty()) {
            throw new PermanentFailureException("Beamery created a " + k.link + " without an id");
        }
        String name = m.getHeader(GH_NAME, String.class);
        names(k).put(key(name), id);
        links.put(k.link, m.getHeader(GH_ID, String.class), id, name);
        m.setHeader(SyncCounts.OUTCOME, "created");
    }

    // ---- Java callers (the vacancy flow) --------------------------------------------------------------------

    /** The Beamery id for a Greenhouse department (linked or created on first use); empty when it has no name. */
    public Optional<String> beameryId(Kind kind, JsonNode ghRecord) {
        return Optional.ofNullable(upsert(kind, ghRecord));
    }

    private synchronized String upsert(Kind kind, JsonNode ghRecord) {
        String ghId = ghRecord.path("id").asText();
        String name = ghRecord.path("name").asText("").trim();
        if (name.isEmpty()) {
            return null;
        }
        Optional<LinkStore.Link> link = links.byGreenhouseId(kind.link, ghId);
        if (link.isPresent() && name.equals(link.get().contentHash())) {
            return link.get().beameryId();
        }
        String id = names(kind).get(key(name));
        if (id == null) {
            try {
                id = create(kind, ghRecord).path("id").asText();
            } catch (RemoteCallException e) {
                if (e.status() != 409) {
                    throw e;
                }
                byName.remove(kind); // created meanwhile by someone else: read the list again
                id = Optional.ofNullable(names(kind).get(key(name))).orElseThrow(() -> e);
            }
            names(kind).put(key(name), id);
        }
        links.put(kind.link, ghId, id, name);
        return id;
    }

    /** The same create call as the reference run: route direct:reference-create-{source,department}. */
    private JsonNode create(Kind kind, JsonNode ghRecord) {
        try {
            return camel.requestBody("direct:reference-create-" + kind.link, ghRecord, JsonNode.class);
        } catch (CamelExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
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
