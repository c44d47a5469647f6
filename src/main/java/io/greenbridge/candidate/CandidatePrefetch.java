package io.greenbridge.candidate;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.greenbridge.inbox.InboxEvent;
import io.greenbridge.support.PermanentFailureException;

/**
 * Reads the current state of every candidate a claimed inbox batch syncs in a few Harvest list calls
 * ({@link CandidateLoader#loadAll}: up to 50 candidates and their children per call) instead of 4–5 calls per
 * event. Each event gets its candidate's state in exchange property {@value #PROPERTY} (a {@link CandidateData}, or
 * {@link Gone} when Greenhouse no longer has the candidate), which the pipeline's load step
 * ({@link CandidateLoader#current}) uses instead of reading the candidate again.
 *
 * <p>Freshness: the batch is read after it was claimed, so after every claimed event was received; the state is
 * at least as new as each event, which is all a webhook promises (its body says only which candidate changed).
 * A change made after this read sends its own webhook, which the inbox runs after this one (one event per
 * candidate per claim), and that event reads again. Writes still happen one candidate at a time under
 * the candidate claim (step hold-candidate-claim); this only reads.
 */
@Component
public class CandidatePrefetch {
    /** Exchange property the load step reads (the same name as {@link CandidateLoader#PREFETCHED}). */
    public static final String PROPERTY = CandidateLoader.PREFETCHED;
    /**
     * The candidate each syncing action names, as the branches of routes/contacts-inbound.yaml that go to
     * {@code direct:candidate-sync} read it (CandidatePrefetchTest checks the route agrees), parsed by the same
     * {@link CandidateEventIds#id}.
     */
    static final Map<String, String> SYNCED_CANDIDATE = Map.of(
            "new_candidate_application", "application.candidate.id", "new_prospect_application", "application.candidate.id",
            "application_updated", "application.candidate.id", "candidate_stage_change", "application.candidate.id",
            "reject_candidate", "application.candidate.id", "unreject_candidate", "application.candidate.id",
            "hire_candidate", "application.candidate.id", "unhire_candidate", "application.candidate.id",
            "update_candidate", "candidate.id", "delete_application", "application.candidate_id");

    /** Property value for a candidate the bulk read did not find: Greenhouse no longer has it (as load() empty). */
    public record Gone(long candidateId) {
    }
    private static final Logger LOG = LoggerFactory.getLogger(CandidatePrefetch.class);
    private static final int CHUNK = 50;
    /** The product's event dispatch (routes/greenhouse-events.yaml), whose candidate flow uses {@value #PROPERTY}. */
    private static final String FLOWS = "direct:greenhouse-event";

    private final CandidateLoader loader;
    private final CandidateEventIds ids;
    private final CandidateSync sync;
    private final boolean enabled;

    /**
     * Off with {@code greenbridge.inbox.prefetch=false}, and when the inbox dispatches to a flow other than the
     * product's (a stand-in flow reads no candidates).
     */
    public CandidatePrefetch(CandidateLoader loader, CandidateEventIds ids, CandidateSync sync,
                             @Value("${greenbridge.inbox.prefetch:true}") boolean enabled,
                             @Value("${greenbridge.inbox.dispatch-uri:" + FLOWS + "}") String dispatchUri) {
        this.loader = loader;
        this.ids = ids;
        this.sync = sync;
        this.enabled = enabled && FLOWS.equals(dispatchUri);
    }

    /**
     * The value of {@value #PROPERTY} for each event by inbox id, for a batch that syncs more than one candidate:
     * its {@link CandidateData}, or {@link Gone}. An event missing from the answer was not prefetched (one
     * candidate due, an action that reads nothing, a body without a valid id, or a failed read) and its load step
     * reads the candidate itself.
     */
    public Map<Long, Object> attach(List<InboxEvent> batch) {
        if (!enabled) {
            return Map.of();
        }
        Map<Long, Long> candidateOf = new LinkedHashMap<>();
        boolean withJobs = false;
        for (InboxEvent e : batch) {
            Long id = candidateToSync(e);
            if (id != null) {
                candidateOf.put(e.id(), id);
                // the same rules the event's sync applies (step candidate-rules uses defaults(action) too)
                withJobs |= sync.defaults(e.action()).blockConfidential();
            }
        }
        Set<Long> due = new LinkedHashSet<>(candidateOf.values());
        if (due.size() < 2) {
            return Map.of(); // a quiet inbox: the event reads its candidate at once, as it always did
        }
        Map<Long, Object> byCandidate = read(List.copyOf(due), withJobs);
        Map<Long, Object> out = new HashMap<>();
        candidateOf.forEach((event, candidate) -> {
            Object state = byCandidate.get(candidate);
            if (state != null) {
                out.put(event, state);
            }
        });
        return out;
    }

    /** True when {@code prefetched} (a {@value #PROPERTY} value) says the bulk read did not find this candidate. */
    public static boolean isGone(Object prefetched, String candidateId) {
        return prefetched instanceof Gone g && String.valueOf(g.candidateId()).equals(candidateId);
    }

    private Long candidateToSync(InboxEvent event) {
        String path = SYNCED_CANDIDATE.get(event.action());
        if (path == null) {
            return null;
        }
        try {
            return Long.valueOf(ids.id(event.payload(), path));
        } catch (JsonProcessingException | PermanentFailureException e) {
            return null; // the event's own route refuses it
        }
    }

    /** Chunks of 50; a chunk whose read fails leaves its candidates unprefetched (each event retries on its own). */
    private Map<Long, Object> read(List<Long> ids, boolean withJobs) {
        Map<Long, Object> out = new HashMap<>();
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
                CandidateData data = found.get(id);
                out.put(id, data != null ? data : new Gone(id)); // absent from the answer: gone, as load() says
            }
        }
        return out;
    }
}
