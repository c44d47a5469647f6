package io.greenbridge.assessment;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * The candidate's link. {@code GET /a/{token}} only shows a page with a "Start" button, so a mail scanner that
 * fetches the link starts nothing; the button posts to {@code /a/{token}/start}, which marks the test started and
 * redirects (303) to the assessment platform. No login: the token alone identifies the invitation. A browser
 * (Accept: text/html) gets pages; any other caller gets the JSON error contract for a link that does not work.
 */
@Component("assessmentCandidateLanding")
public class CandidateLanding {
    private final Invitations invitations;
    private final String platformUrl;

    public CandidateLanding(Invitations invitations, GreenbridgeProperties props) {
        this.invitations = invitations;
        this.platformUrl = props.assessment().platformUrl();
    }

    /** {@code GET /a/{token}}: the start page; nothing changes. */
    public void land(Exchange exchange) {
        usable(exchange).ifPresent(inv -> CandidatePages.html(exchange, 200, "Your assessment",
                "Press Start when you are ready; the assessment opens on the assessment platform. The link is personal, "
                        + "please do not share it.",
                "/a/" + token(exchange) + "/start", "Start"));
    }

    /** {@code POST /a/{token}/start}: the candidate pressed Start. */
    public void start(Exchange exchange) {
        usable(exchange).ifPresent(inv -> {
            invitations.markStarted(inv.id());
            CandidatePages.redirect(exchange, platformLink(platformUrl, token(exchange)));
        });
    }

    /** ASSESSMENT_PLATFORM_URL with {@code {token}} replaced, e.g. {@code https://platform.example/take/{token}}. */
    static String platformLink(String template, String token) {
        return template.replace("{token}", URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** The invitation when its link can be used now; otherwise the answer is already written. */
    private Optional<Invitation> usable(Exchange exchange) {
        String token = token(exchange);
        Optional<Invitation> found = token == null || !token.matches("[A-Za-z0-9_-]{1,100}")
                ? Optional.empty() : invitations.findByToken(token);
        if (found.isEmpty()) {
            CandidatePages.problem(exchange, 404, "unknown_link", "This link is not valid",
                    "Please check that you copied the whole link from your invitation email.");
            return Optional.empty();
        }
        Invitation inv = found.get();
        OffsetDateTime now = Tenants.now();
        if (Invitation.REVOKED.equals(inv.status())) {
            CandidatePages.problem(exchange, 410, "invitation_revoked", "This invitation was withdrawn",
                    "The employer has withdrawn this assessment invitation. Please contact them if you think this is a mistake.");
        } else if (Invitation.COMPLETE.equals(inv.status())) {
            CandidatePages.html(exchange, 200, "Assessment complete",
                    "You have already completed this assessment. Thank you, there is nothing more to do.", null, null);
        } else if (inv.expired(now)) {
            CandidatePages.problem(exchange, 410, "invitation_expired", "This link has expired",
                    "The invitation expired. Please ask the employer to send you a new one.");
        } else if (platformUrl == null || platformUrl.isBlank()) {
            CandidatePages.problem(exchange, 503, "platform_unavailable", "The assessment is not available right now",
                    "Please try again later.");
        } else {
            return found;
        }
        return Optional.empty();
    }

    private static String token(Exchange exchange) {
        return exchange.getMessage().getHeader("token", String.class);
    }
}
