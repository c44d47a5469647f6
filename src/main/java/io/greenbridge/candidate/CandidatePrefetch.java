package io.greenbridge.candidate;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.greenbridge.inbox.InboxEvent;

/**
 * Reads the current state of every candidate a claimed inbox batch syncs in a few Harvest list calls
 * ({@link CandidateLoader#loadAll}: up to 50 candidates and their children per call) instead of 4–5 calls per
 * event. Each event gets its candidate's state in exchange property {@value #PROPERTY}, which the flow's load
 * step uses instead of reading the candidate again.
 *
 * <p>Freshness: the batch is read after it was claimed, so after every claimed event was received; the state is
 * at least as new as each event, which is all a webhook promises (its body says only which candidate changed).
 * A change made after this read sends its own webhook, which the inbox runs after this one (one event per
 * candidate per claim), and that event reads again. Writes still happen one candidate at a time under
 * {@link io.greenbridge.contact.CandidateLocks}; this only reads.
 */
@Component
public class CandidatePrefetch {
    /** Exchange property: {@code Optional<CandidateData>}; empty when Greenhouse no longer has the candidate. */
    public static final String PROPERTY = "prefetchedCandidate";
    private static final Logger LOG = LoggerFactory.getLogger(CandidatePrefetch.class);
    private static final int CHUNK = 50;
    /** The product's event dispatch (routes/greenhouse-events.yaml), whose candidate flow uses {@value #PROPERTY}. */
    private static final String FLOWS = "direct:greenhouse-event";

    private final CandidateLoader loader;
    private final CandidateSync sync;
    private final boolean enabled;

    /**
     * Off with {@code greenbridge.inbox.prefetch=false}, and when the inbox dispatches to a flow other than the
     * product's (a stand-in flow reads no candidates).
     */
    public CandidatePrefetch(CandidateLoader loader, CandidateSync sync,
                             @Value("${greenbridge.inbox.prefetch:true}") boolean enabled,
                             @Value("${greenbridge.inbox.dispatch-uri:" + FLOWS + "}") String dispatchUri) {
        this.loader = loader;
        this.sync = sync;
        this.enabled = enabled && FLOWS.equals(dispatchUri);
    }

    /**
     * The state of each event's candidate by inbox id, for a batch that syncs more than one candidate. An event
     * missing from the answer was not prefetched (one candidate due, an action that reads nothing, or a failed
     * read) and reads its candidate itself; {@code Optional.empty()} means the candidate is gone.
     */
    public Map<Long, Optional<CandidateData>> attach(List<InboxEvent> batch) {
        if (!enabled) {
            return Map.of();
        }
        Map<Long, Long> candidateOf = new LinkedHashMap<>();
        boolean withJobs = false;
        for (InboxEvent e : batch) {
            var id = CandidateEvents.candidateToSync(e.action(), e.payload());
            if (id.isPresent()) {
                candidateOf.put(e.id(), id.getAsLong());
                // the same rules the event's sync applies (CandidateEvents uses defaults(action) too)
                withJobs |= sync.defaults(e.action()).blockConfidential();
            }
        }
        Set<Long> due = new LinkedHashSet<>(candidateOf.values());
        if (due.size() < 2) {
            return Map.of(); // a quiet inbox: the event reads its candidate at once, as it always did
        }
        Map<Long, Optional<CandidateData>> byCandidate = read(List.copyOf(due), withJobs);
        Map<Long, Optional<CandidateData>> out = new HashMap<>();
        candidateOf.forEach((event, candidate) -> {
            Optional<CandidateData> state = byCandidate.get(candidate);
            if (state != null) {
                out.put(event, state);
            }
        });
        return out;
    }

    /** True when {@code prefetched} is a prefetched answer for this candidate (present and the same id, or gone). */
    public static boolean isFor(Optional<CandidateData> prefetched, long candidateId) {
        return prefetched != null && prefetched.map(d -> d.id() == candidateId).orElse(true);
    }

    /** Chunks of 50; a chunk whose read fails leaves its candidates unprefetched (each event retries on its own). */
    private Map<Long, Optional<CandidateData>> read(List<Long> ids, boolean withJobs) {
        Map<Long, Optional<CandidateData>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            Collection<Long> chunk = ids.subList(from, Math.min(from + CHUNK, ids.size()));
            Map<Long, CandidateData> found;
            try {
                found = loader.loadAll(chunk, withJobs);
            } catch (RuntimeException e) {
                LOG.info("Reading {} candidates in one go failed; their events read them one by one: {}",
                        chunk.size(), e.getMessage());
                continue;
            }
            for (Long id : chunk) {
                out.put(id, Optional.ofNullable(found.get(id))); // absent from the answer: gone, as load() says
            }
        }
        return out;
    }
}
