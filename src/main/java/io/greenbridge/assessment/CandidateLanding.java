package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * {@code GET /a/{token}}: the candidate's link. No login: the token alone identifies the invitation. A live token
 * marks the test started and redirects to the assessment platform; any other gets a plain page, never a trace.
 */
@Component("assessmentCandidateLanding")
public class CandidateLanding {
    private final Invitations invitations;
    private final String platformUrl;

    public CandidateLanding(Invitations invitations, GreenbridgeProperties props) {
        this.invitations = invitations;
        this.platformUrl = props.assessment().platformUrl();
    }

    public void land(Exchange exchange) {
        String token = exchange.getMessage().getHeader("token", String.class);
        Optional<Invitation> found = token == null || token.length() > 100 ? Optional.empty() : invitations.findByToken(token);
        if (found.isEmpty()) {
            HttpReply.html(exchange, 404, "This link is not valid",
                    "Please check that you copied the whole link from your invitation email.");
            return;
        }
        Invitation inv = found.get();
        OffsetDateTime now = Tenants.now();
        if (Invitation.REVOKED.equals(inv.status())) {
            HttpReply.html(exchange, 410, "This invitation was withdrawn",
                    "The employer has withdrawn this assessment invitation. Please contact them if you think this is a mistake.");
        } else if (Invitation.COMPLETE.equals(inv.status())) {
            HttpReply.html(exchange, 200, "Assessment complete",
                    "You have already completed this assessment. Thank you, there is nothing more to do.");
        } else if (inv.expired(now)) {
            HttpReply.html(exchange, 410, "This link has expired",
                    "The invitation expired. Please ask the employer to send you a new one.");
        } else if (platformUrl == null || platformUrl.isBlank()) {
            HttpReply.html(exchange, 503, "The assessment is not available right now",
                    "Please try again later.");
        } else {
            invitations.markStarted(inv.id());
            HttpReply.redirect(exchange, platformUrl.replace("{token}", token));
        }
    }
}
