package io.greenbridge.outbound;

import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.store.LinkKinds;

/** Application links ({@code <contactId>/<vacancyId>}) follow a merged-away contact to the contact it was merged into. */
@Component
public class ApplicationLinks {
    private final JdbcTemplate jdbc;

    public ApplicationLinks(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The Greenhouse application of a contact when it has exactly one linked application, else empty. */
    public java.util.Optional<Long> onlyApplicationOf(String contactId) {
        java.util.List<String> ids = jdbc.queryForList("SELECT greenhouse_id FROM record_links WHERE kind = ?"
                + " AND beamery_id LIKE ?", String.class, LinkKinds.APPLICATION, contactId + "/%");
        return ids.size() == 1 && ids.get(0).matches("\\d+") ? java.util.Optional.of(Long.valueOf(ids.get(0))) : java.util.Optional.empty();
    }

    public int move(String fromContactId, String toContactId) {
        String prefix = fromContactId + "/";
        return jdbc.update("UPDATE record_links SET beamery_id = CONCAT(?, SUBSTRING(beamery_id, ?)), updated_at = ?"
                        + " WHERE kind = ? AND beamery_id LIKE ?",
                toContactId + "/", prefix.length() + 1, Timestamp.from(Instant.now()), LinkKinds.APPLICATION, prefix + "%");
    }
}
