package io.greenbridge.candidate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.reference.UserDirectory;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;

/**
 * The names and ids a contact mapping needs: source and rejection-reason names (reference_cache filled by the
 * reference sync, else Harvest, remembered in memory), Beamery vacancy ids of Greenhouse jobs (link {@code job})
 * and the Beamery user of a Greenhouse user ({@link UserDirectory}).
 */
@Component
public class ReferenceLookup {
    private final JdbcTemplate jdbc;
    private final HarvestClient harvest;
    private final LinkStore links;
    private final UserDirectory users;
    private final Map<String, Optional<String>> names = new ConcurrentHashMap<>();

    public ReferenceLookup(DataSource dataSource, HarvestClient harvest, LinkStore links, UserDirectory users) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.harvest = harvest;
        this.links = links;
        this.users = users;
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

    /** The Beamery user of a Greenhouse user ({@link UserDirectory}: its cache policy, both directions). */
    public Optional<String> beameryUser(JsonNode greenhouseUserId) {
        if (greenhouseUserId == null || greenhouseUserId.isNull() || greenhouseUserId.isMissingNode()) {
            return Optional.empty();
        }
        return users.beameryUserId(greenhouseUserId.asText());
    }

    private Optional<String> cached(String kind, String id) {
        List<String> rows = jdbc.queryForList("SELECT name FROM reference_cache WHERE kind = ? AND ref_id = ?",
                String.class, kind, id);
        return rows.stream().filter(n -> n != null && !n.isBlank()).findFirst();
    }
}
