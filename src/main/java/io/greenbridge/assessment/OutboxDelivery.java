package io.greenbridge.assessment;

import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.greenbridge.support.PermanentFailureException;
import io.greenbridge.support.RemoteCallException;

/**
 * Route steps {@code bean: assessmentOutboxDelivery} of the route {@code assessment-outbox}: claims the due outbox
 * rows, and per row (the body, an {@link AssessmentOutbox.Item}) sends the invitation email or the Greenhouse PATCH
 * callback, then marks it done or failed (retried with {@link io.greenbridge.support.Backoff}, dead after the last
 * attempt).
 */
@Component("assessmentOutboxDelivery")
public class OutboxDelivery {
    static final String INVITATION = "assessmentInvitation";
    private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);

    private final AssessmentOutbox outbox;
    private final Invitations invitations;
    private final InvitationMailer mailer;
    private final GreenhouseCallback callback;
    private final CallbackUrls callbackUrls;

    public OutboxDelivery(AssessmentOutbox outbox, Invitations invitations, InvitationMailer mailer,
            GreenhouseCallback callback, CallbackUrls callbackUrls) {
        this.outbox = outbox;
        this.invitations = invitations;
        this.mailer = mailer;
        this.callback = callback;
        this.callbackUrls = callbackUrls;
    }

    /** Step {@code claim-due}: up to a batch of due rows, each claimed by this worker for a lease. */
    public List<AssessmentOutbox.Item> claimDue() {
        return outbox.claimDue();
    }

    /** Step {@code load-invitation}: the row's invitation (exchange property), or a permanent failure. */
    public void loadInvitation(Exchange exchange) {
        AssessmentOutbox.Item item = item(exchange);
        Invitation inv = invitations.find(item.ref())
                .orElseThrow(() -> new PermanentFailureException("invitation " + item.ref() + " does not exist"));
        exchange.setProperty(INVITATION, inv);
    }

    /** Predicate of {@code invitation-revoked}: the employer withdrew it before its email went out. */
    public boolean revoked(Exchange exchange) {
        return Invitation.REVOKED.equals(invitation(exchange).status());
    }

    /** Step {@code skip-revoked-email}: the row is done without a send. */
    public void skipRevoked(Exchange exchange) {
        log.info("Invitation {} was revoked before its email went out; not sent", item(exchange).ref());
    }

    /** Step {@code send-invitation-email}: through Camel mail (SMTP, the mode SmtpSecurity chose at start-up). */
    public void sendEmail(Exchange exchange) {
        AssessmentOutbox.Item item = item(exchange);
        String token = outbox.unseal(item.payload());
        if (token == null) {
            throw new PermanentFailureException("the e-mail row carries no token");
        }
        mailer.send(invitation(exchange), token);
        log.info("Invitation email for invitation {} sent (attempt {})", item.ref(), item.attempt());
    }

    /** Step {@code check-callback-url-again}: the allowlist may have changed since send_test stored the url. */
    public void checkCallbackUrl(Exchange exchange) {
        callbackUrls.problem(invitation(exchange).callbackUrl()).ifPresent(refused -> {
            throw new PermanentFailureException("callback not sent: " + refused);
        });
    }

    /** Step {@code patch-greenhouse-callback}: "Mark Test as Completed" through {@link GreenhouseCallback}. */
    public void patchCallback(Exchange exchange) {
        AssessmentOutbox.Item item = item(exchange);
        callback.markCompleted(invitation(exchange).callbackUrl(), invitations.callbackCredential(item.ref()).orElse(null));
        invitations.forgetCallbackCredential(item.ref());
        log.info("Greenhouse told that invitation {} is complete (attempt {})", item.ref(), item.attempt());
    }

    /** Step {@code mark-done}. */
    public void done(Exchange exchange) {
        outbox.done(item(exchange));
    }

    /** Step {@code mark-retry-or-dead} (the row's doCatch): retried after the backoff, or dead and dead-lettered. */
    public void failed(Exchange exchange) {
        AssessmentOutbox.Item item = item(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        boolean permanent = e instanceof PermanentFailureException;
        Integer status = e instanceof RemoteCallException r && r.status() > 0 ? r.status() : null;
        String response = e instanceof RemoteCallException r ? r.responseBody() : null;
        String reason = withoutEmails(String.valueOf(e == null ? "unknown failure" : e.getMessage()));
        boolean dead = outbox.failed(item, reason, status, response, permanent);
        log.warn("{} for invitation {} failed (attempt {}{}): {}", item.kind(), item.ref(), item.attempt(),
                dead ? ", given up: dead letter" : ", will retry", reason);
    }

    /** SMTP errors may quote the recipient; candidates' addresses stay out of logs and dead letters. */
    static String withoutEmails(String message) {
        return message.replaceAll("[^\\s<>\"',;:]+@[^\\s<>\"',;]+", "<email>");
    }

    private static AssessmentOutbox.Item item(Exchange exchange) {
        return exchange.getMessage().getBody(AssessmentOutbox.Item.class);
    }

    private static Invitation invitation(Exchange exchange) {
        return exchange.getProperty(INVITATION, Invitation.class);
    }
}
