package io.greenbridge.vacancy;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * Writes a mapped vacancy through the {@code job} link: PATCH when linked and the hash differs, nothing when it
 * is equal, POST and link at once when there is no link (never a second vacancy for one job). Before a POST, a
 * Beamery vacancy that already carries the job (Beamery's native connector, a restored store) is adopted: by
 * {@code integrations.greenhouse.id}, else by the "&lt;requisition id&gt;-&lt;job id&gt;" requisition id (both filters
 * assumed, checked on our side too). Writes of one job are serialised on this node, so a webhook and the scheduled
 * run cannot both create it.
 */
@Component
public class VacancyWriter {
    public static final String LINK = "job";
    /** Hash stored for a vacancy closed because its job was deleted. */
    static final String DELETED = "deleted";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BeameryClient beamery;
    private final LinkStore links;
    private final Object[] stripes = new Object[64];

    public VacancyWriter(BeameryClient beamery, LinkStore links) {
        this.beamery = beamery;
        this.links = links;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** @return created, updated or unchanged */
    public String write(long jobId, VacancyMapper.Mapped mapped) {
        String ghId = String.valueOf(jobId);
        synchronized (stripe(jobId)) {
            var link = links.byGreenhouseId(LINK, ghId);
            if (link.isEmpty()) {
                var adopted = adoptable(ghId, mapped.body());
                if (adopted.isEmpty()) {
                    create(ghId, mapped);
                    return "created";
                }
                links.put(LINK, ghId, adopted.get(), null);
                link = links.byGreenhouseId(LINK, ghId);
            }
            if (mapped.hash().equals(link.get().contentHash())) {
                return "unchanged";
            }
            ObjectNode changes = mapped.body().deepCopy();
            changes.remove("ownerId"); // the owner is chosen once; a reassignment made in Beamery stays
            try {
                beamery.patchVacancy(link.get().beameryId(), changes);
            } catch (RemoteCallException e) {
                if (e.status() != 404) {
                    throw e;
                }
                create(ghId, mapped); // the vacancy was deleted in Beamery: make it again and move the link
                return "created";
            }
            links.updateHash(LINK, ghId, mapped.hash());
            return "updated";
        }
    }

    /** The job was deleted in Greenhouse: close its vacancy. @return updated, unchanged (already closed) or skipped */
    public String close(long jobId) {
        String ghId = String.valueOf(jobId);
        synchronized (stripe(jobId)) {
            var link = links.byGreenhouseId(LINK, ghId);
            if (link.isEmpty()) {
                return "skipped";
            }
            if (DELETED.equals(link.get().contentHash())) {
                return "unchanged";
            }
            beamery.patchVacancy(link.get().beameryId(), JSON.createObjectNode().put("status", "closed"));
            links.updateHash(LINK, ghId, DELETED);
            return "updated";
        }
    }

    /** A Beamery vacancy not linked to another job that already carries this job. */
    private java.util.Optional<String> adoptable(String ghId, JsonNode body) {
        java.util.Optional<String> byId = firstUnlinked(java.util.Map.of("integration", "greenhouse", "integrationId", ghId),
                v -> ghId.equals(v.path("integrations").path("greenhouse").path("id").asText()));
        if (byId.isPresent()) {
            return byId;
        }
        String requisition = body.path("requisitionId").asText("");
        boolean fromGreenhouse = body.path("integrations").path("greenhouse").hasNonNull("requisitionId");
        if (!fromGreenhouse || requisition.isBlank()) {
            return java.util.Optional.empty(); // a generated requisition id is ours alone
        }
        return firstUnlinked(java.util.Map.of("requisitionId", requisition),
                v -> requisition.equals(v.path("requisitionId").asText()));
    }

    private java.util.Optional<String> firstUnlinked(java.util.Map<String, String> filter, java.util.function.Predicate<JsonNode> carries) {
        try {
            return beamery.list("/vacancies", "vacancies", filter).limit(ADOPT_SCAN).filter(carries)
                    .map(v -> v.path("id").asText("")).filter(id -> !id.isBlank() && links.byBeameryId(LINK, id).isEmpty())
                    .findFirst();
        } catch (RemoteCallException e) {
            if (e.retryable() || (e.status() != 400 && e.status() != 422)) {
                throw e;
            }
            return java.util.Optional.empty(); // the tenant refuses the assumed filter: create as before
        }
    }

    /** Answers read per adoption search: a tenant that ignores the filter costs one page, not a scan. */
    static final int ADOPT_SCAN = 100;

    private void create(String ghId, VacancyMapper.Mapped mapped) {
        JsonNode created = beamery.createVacancy(mapped.body());
        String id = created.path("id").asText("");
        if (id.isBlank()) {
            throw new RemoteCallException("beamery", "POST /vacancy", 201, "created vacancy has no id", false);
        }
        links.put(LINK, ghId, id, mapped.hash()); // right after the create: a crash-resume finds the link
    }

    private Object stripe(long jobId) {
        return stripes[(int) Math.floorMod(jobId, (long) stripes.length)];
    }
}
