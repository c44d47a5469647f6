package io.greenbridge.outbound;

import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.store.LinkStore;

/**
 * Contacts whose {@code POST /v3/candidates} Greenhouse accepted without returning the record (v3's asynchronous
 * {@code {message}} answer) and whose candidate was not yet found by email. They are never created a second time:
 * each poll looks them up by email again and links them when Greenhouse has the candidate.
 * Kept as {@code record_links} rows of kind {@value #KIND} (contact id on both sides), so no migration is needed.
 */
@Component
public class PendingCreates {
    static final String KIND = "candidate-pending";

    private final LinkStore links;
    private final JdbcTemplate jdbc;

    public PendingCreates(LinkStore links, DataSource dataSource) {
        this.links = links;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public void mark(String contactId) {
        links.put(KIND, contactId, contactId, null);
    }

    public boolean isPending(String contactId) {
        return links.byGreenhouseId(KIND, contactId).isPresent();
    }

    public void clear(String contactId) {
        links.remove(KIND, contactId);
    }

    /** Step (after the poll's second look): linked meanwhile (e.g. by its integration id), or gone from Beamery. */
    public void settle(Exchange exchange) {
        PushResult result = exchange.getMessage().getBody(PushResult.class);
        if (result.greenhouseId() != null || exchange.getProperty(GreenhousePush.CONTACT_MISSING, false, Boolean.class)) {
            clear(result.contactId());
        }
    }

    public List<String> all() {
        return jdbc.queryForList("SELECT greenhouse_id FROM record_links WHERE kind = ? ORDER BY created_at", String.class, KIND);
    }
}
