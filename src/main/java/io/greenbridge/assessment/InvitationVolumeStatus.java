package io.greenbridge.assessment;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.ops.StatusContributor;

/**
 * {@code GET /api/status} section {@code assessmentInvitations}: per company, the invitations sent in all and within
 * the rate-limit window, and the send_test calls a limit refused, so an operator sees a company mailing too much.
 */
@Component
public class InvitationVolumeStatus implements StatusContributor {
    private final JdbcTemplate jdbc;
    private final SendLimits limits;

    public InvitationVolumeStatus(JdbcTemplate jdbc, SendLimits limits) {
        this.jdbc = jdbc;
        this.limits = limits;
    }

    @Override
    public String section() {
        return "assessmentInvitations";
    }

    /** {@code {"<companyId>": {"name": "…", "sent": n, "sentInWindow": n, "refusedByLimit": n}, …}}. */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        jdbc.query("SELECT c.id, c.name, COUNT(i.id), SUM(CASE WHEN i.created_at > ? THEN 1 ELSE 0 END) "
                        + "FROM companies c LEFT JOIN invitations i ON i.company_id = c.id GROUP BY c.id, c.name ORDER BY c.id",
                rs -> {
                    Map<String, Object> company = new LinkedHashMap<>();
                    company.put("name", rs.getString(2));
                    company.put("sent", rs.getLong(3));
                    company.put("sentInWindow", rs.getLong(4));
                    company.put("refusedByLimit", limits.refused(rs.getString(1)));
                    out.put(rs.getString(1), company);
                }, Tenants.now().minus(limits.window()));
        return out;
    }
}
