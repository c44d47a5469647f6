package io.greenbridge.candidate;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.contact.BlockedPeople;
import io.greenbridge.ops.StatusContributor;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;

/** {@code contacts} in GET /api/status: linked contacts, held people (Greenhouse ids only), blocked counts. */
@Component
public class ContactsStatus implements StatusContributor {
    private final AnonymizationGuard guard;
    private final BlockedPeople blocked;
    private final LinkStore links;
    private final JdbcTemplate jdbc;

    public ContactsStatus(AnonymizationGuard guard, BlockedPeople blocked, LinkStore links, DataSource dataSource) {
        this.guard = guard;
        this.blocked = blocked;
        this.links = links;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public String section() {
        return "contacts";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("linked", links.count(LinkKinds.CANDIDATE));
        out.put("held", guard.held());
        out.put("blocked", blocked.countsByReason());
        out.put("waitingForVacancy", jdbc.queryForObject(
                "SELECT COUNT(DISTINCT greenhouse_id) FROM candidate_pending_jobs", Long.class));
        return out;
    }
}
