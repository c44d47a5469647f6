package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The employer API ({@code /api/employer/...}), with the company's key as for Greenhouse: the company's
 * invitations and results in detail. Another company's invitation is answered as not found.
 */
@Component("assessmentEmployerApi")
public class EmployerApi {
    private final ApiKeys keys;
    private final Invitations invitations;
    private final Tenants tenants;

    public EmployerApi(ApiKeys keys, Invitations invitations, Tenants tenants) {
        this.keys = keys;
        this.invitations = invitations;
        this.tenants = tenants;
    }

    /** {@code GET /api/employer/invitations}: newest first. */
    public void list(Exchange exchange) {
        Optional<Tenant> tenant = tenant(exchange);
        if (tenant.isEmpty()) {
            HttpReply.unauthorized(exchange);
            return;
        }
        HttpReply.json(exchange, 200, Map.of("invitations",
                invitations.list(tenant.get().companyId()).stream().map(this::detail).toList()));
    }

    /** {@code GET /api/employer/invitations/{id}}. */
    public void get(Exchange exchange) {
        withInvitation(exchange, inv -> HttpReply.json(exchange, 200, detail(inv)));
    }

    /** {@code POST /api/employer/invitations/{id}/revoke}: the candidate's link stops working. */
    public void revoke(Exchange exchange) {
        withInvitation(exchange, inv -> {
            if (invitations.revoke(inv.companyId(), inv.id())) {
                HttpReply.json(exchange, 200, detail(invitations.find(inv.id()).orElseThrow()));
            } else {
                HttpReply.error(exchange, 409, "not_revocable", "Only a sent or started invitation can be revoked; this one is "
                        + inv.status() + ".");
            }
        });
    }

    private void withInvitation(Exchange exchange, java.util.function.Consumer<Invitation> action) {
        Optional<Tenant> tenant = tenant(exchange);
        if (tenant.isEmpty()) {
            HttpReply.unauthorized(exchange);
            return;
        }
        String id = exchange.getMessage().getHeader("id", String.class);
        Optional<Invitation> inv = id == null ? Optional.empty() : invitations.find(tenant.get().companyId(), id);
        if (inv.isEmpty()) {
            HttpReply.error(exchange, 404, "not_found", "This company has no invitation '" + id + "'.");
            return;
        }
        action.accept(inv.get());
    }

    private Map<String, Object> detail(Invitation inv) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("partner_interview_id", inv.id());
        out.put("partner_test_id", inv.partnerTestId());
        out.put("partner_test_name", tenants.test(inv.companyId(), inv.partnerTestId())
                .map(Tenants.TestOffer::name).orElse(null));
        Map<String, Object> candidate = new LinkedHashMap<>();
        candidate.put("first_name", inv.candidateFirstName());
        candidate.put("last_name", inv.candidateLastName());
        candidate.put("email", inv.candidateEmail());
        out.put("candidate", candidate);
        out.put("sent_by", inv.sentBy());
        out.put("status", inv.visibleStatus(Tenants.now()));
        out.put("created_at", iso(inv.createdAt()));
        out.put("started_at", iso(inv.startedAt()));
        out.put("completed_at", iso(inv.completedAt()));
        out.put("expires_at", iso(inv.expiresAt()));
        out.put("result", invitations.result(inv.id()).map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("score", r.score());
            m.put("profile_url", r.profileUrl());
            m.put("traits", r.traits());
            m.put("started_at", iso(r.startedAt()));
            m.put("completed_at", iso(r.completedAt()));
            return m;
        }).orElse(null));
        return out;
    }

    private static String iso(OffsetDateTime t) {
        return t == null ? null : AssessmentPartnerApi.iso(t);
    }

    private Optional<Tenant> tenant(Exchange exchange) {
        return io.greenbridge.web.CallerCompany.of(exchange); // the security chain checked the key
    }
}
