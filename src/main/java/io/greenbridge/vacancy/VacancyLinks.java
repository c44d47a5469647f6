package io.greenbridge.vacancy;

import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.GreenbridgeProperties.Vacancies.DeletedJobAction;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.Hashes;
import io.greenbridge.support.RemoteCallException;

/**
 * Route steps {@code bean: vacancyLinks} of routes/vacancy-sync.yaml: the {@code job} link between a Greenhouse job
 * and its Beamery vacancy. The check sets header {@value #LINK_STATE}: {@code new} (no link: search, then POST),
 * {@code changed} (linked, content hash differs: PATCH), {@code unchanged} (nothing to send). A Beamery vacancy that
 * already carries the job (Beamery's native connector, a restored store) is adopted before a POST: never a second
 * vacancy for one job. The calls themselves are the route's {@code beamery:} steps. Writes of one job are
 * serialised on this node ({@link #lock}), so a webhook, the scheduled run and the parallel writers never write
 * one vacancy at once.
 */
@Component("vacancyLinks")
public class VacancyLinks {
    public static final String LINK = "job";
    /** Hash stored for a vacancy closed because its job was deleted. */
    static final String DELETED = "deleted";
    /** Headers and properties the steps share. */
    static final String JOB_ID = "jobId";
    static final String LINK_STATE = "linkState";
    static final String VACANCY_ID = "vacancyId";
    static final String BODY = "vacancyBody";
    static final String CHANGES = "vacancyChanges";
    static final String HASH = "vacancyHash";
    /** Answers read per adoption search: a tenant that ignores the filter costs one page, not a scan. */
    static final int ADOPT_SCAN = 100;

    private final LinkStore links;
    private final GreenbridgeProperties props;
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public VacancyLinks(LinkStore links, GreenbridgeProperties props) {
        this.links = links;
        this.props = props;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Step {@code lock-job}: one writer per job on this node until {@link #unlock}. */
    public void lock(Exchange exchange) {
        stripe(exchange).lock();
    }

    /** Step {@code unlock-job} (in doFinally). */
    public void unlock(Exchange exchange) {
        ReentrantLock lock = stripe(exchange);
        if (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    /**
     * Step {@code check-vacancy-link}: body = the mapped vacancy. Keeps it (create body) and its changes (the owner is
     * chosen once; a reassignment made in Beamery stays), hashes everything but the owner, and sets the link state.
     */
    public void check(Exchange exchange) {
        Message in = exchange.getMessage();
        if (!(in.getBody() instanceof ObjectNode body)) {
            throw new IllegalStateException("mappings/vacancy.jsonata must produce an object");
        }
        ObjectNode changes = body.deepCopy();
        changes.remove("ownerId");
        exchange.setProperty(BODY, body);
        exchange.setProperty(CHANGES, changes);
        exchange.setProperty(HASH, Hashes.sha256Hex(changes.toString()));
        in.setHeader("requisitionId", adoptableRequisition(body));
        state(exchange);
    }

    private void state(Exchange exchange) {
        Message in = exchange.getMessage();
        var link = links.byGreenhouseId(LINK, jobId(exchange));
        if (link.isEmpty()) {
            in.setHeader(LINK_STATE, "new");
            return;
        }
        in.setHeader(VACANCY_ID, link.get().beameryId());
        in.setHeader(LINK_STATE, exchange.getProperty(HASH, String.class).equals(link.get().contentHash()) ? "unchanged" : "changed");
    }

    /**
     * Steps {@code adopt-by-integration-id} and {@code adopt-by-requisition-id}: body = the search's answers (an
     * Iterator, or null when the tenant refused the filter). The first not linked to another job that carries this
     * job (checked on our side too) is linked, and the state is set again.
     */
    public void adopt(Exchange exchange, String by) {
        Object answers = exchange.getMessage().getBody();
        String ghId = jobId(exchange);
        String requisition = exchange.getMessage().getHeader("requisitionId", String.class);
        Predicate<JsonNode> carries = "requisitionId".equals(by)
                ? v -> requisition != null && requisition.equals(v.path("requisitionId").asText())
                : v -> ghId.equals(v.path("integrations").path("greenhouse").path("id").asText());
        if (answers instanceof Iterator<?> it) {
            for (int read = 0; it.hasNext() && read < ADOPT_SCAN; read++) {
                JsonNode v = (JsonNode) it.next();
                String id = v.path("id").asText("");
                if (carries.test(v) && !id.isBlank() && links.byBeameryId(LINK, id).isEmpty()) {
                    links.put(LINK, ghId, id, null);
                    break;
                }
            }
        }
        exchange.getMessage().setBody(exchange.getProperty(BODY));
        state(exchange);
    }

    /** Step {@code link-created-vacancy}: body = Beamery's answer; linked right after the create (crash-resume finds it). */
    public void linkCreated(Exchange exchange) {
        String id = exchange.getMessage().getBody(JsonNode.class) == null ? ""
                : exchange.getMessage().getBody(JsonNode.class).path("id").asText("");
        if (id.isBlank()) {
            throw new RemoteCallException("beamery", "POST /vacancy", 201, "created vacancy has no id", false);
        }
        links.put(LINK, jobId(exchange), id, exchange.getProperty(HASH, String.class));
    }

    /** Step {@code record-vacancy-hash}: the PATCH went through. */
    public void linkUpdated(Exchange exchange) {
        links.updateHash(LINK, jobId(exchange), exchange.getProperty(HASH, String.class));
    }

    /**
     * Step {@code check-vacancy-to-close}: {@code kept} (greenbridge.vacancies.deleted-job-action: keep), {@code none}
     * (never linked), {@code closed} (already), or {@code open}.
     */
    public void checkClose(Exchange exchange) {
        Message in = exchange.getMessage();
        if (props.vacancies().deletedJobAction() == DeletedJobAction.KEEP) {
            in.setHeader(LINK_STATE, "kept");
            return;
        }
        Optional<LinkStore.Link> link = links.byGreenhouseId(LINK, jobId(exchange));
        in.setHeader(LINK_STATE, link.isEmpty() ? "none" : DELETED.equals(link.get().contentHash()) ? "closed" : "open");
        link.ifPresent(l -> in.setHeader(VACANCY_ID, l.beameryId()));
    }

    /** Step {@code record-vacancy-closed}. */
    public void linkClosed(Exchange exchange) {
        links.updateHash(LINK, jobId(exchange), DELETED);
    }

    /** The requisition id to search by: only one that came from Greenhouse (a generated one is ours alone). */
    private static String adoptableRequisition(JsonNode body) {
        String requisition = body.path("requisitionId").asText("");
        boolean fromGreenhouse = body.path("integrations").path("greenhouse").hasNonNull("requisitionId");
        return fromGreenhouse && !requisition.isBlank() ? requisition : null;
    }

    private static String jobId(Exchange exchange) {
        String id = exchange.getMessage().getHeader(JOB_ID, String.class);
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("vacancy steps need the header " + JOB_ID);
        }
        return id;
    }

    private ReentrantLock stripe(Exchange exchange) {
        return stripes[(int) Math.floorMod(Long.parseLong(jobId(exchange)), (long) stripes.length)];
    }
}
