package io.greenbridge.assessment;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.greenbridge.support.PermanentFailureException;
import io.greenbridge.support.RemoteCallException;

/**
 * Works off the due outbox rows (route {@code assessment-outbox}): sends invitation emails and Greenhouse PATCH
 * callbacks, retrying with backoff until they succeed or run out of attempts.
 */
@Component("assessmentOutboxDelivery")
public class OutboxDelivery {
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

    /** Delivers every due row once; returns how many were delivered. */
    public int deliverDue() {
        int delivered = 0;
        for (AssessmentOutbox.Item item : outbox.claimDue()) {
            if (deliver(item)) {
                delivered++;
            }
        }
        return delivered;
    }

    private boolean deliver(AssessmentOutbox.Item item) {
        try {
            Optional<Invitation> inv = invitations.find(item.ref());
            if (inv.isEmpty()) {
                throw new PermanentFailureException("invitation " + item.ref() + " does not exist");
            }
            if (AssessmentOutbox.INVITATION_EMAIL.equals(item.kind())) {
                if (Invitation.REVOKED.equals(inv.get().status())) {
                    log.info("Invitation {} was revoked before its email went out; not sent", item.ref());
                } else {
                    String token = outbox.unseal(item.payload());
                    if (token == null) {
                        throw new PermanentFailureException("the e-mail row carries no token");
                    }
                    mailer.send(inv.get(), token);
                    log.info("Invitation email for invitation {} sent (attempt {})", item.ref(), item.attempt());
                }
            } else {
                // checked again at call time: the allowlist may have changed since send_test stored the url
                Optional<String> refused = callbackUrls.problem(inv.get().callbackUrl());
                if (refused.isPresent()) {
                    throw new PermanentFailureException("callback not sent: " + refused.get());
                }
                callback.markCompleted(inv.get().callbackUrl(), invitations.callbackCredential(item.ref()).orElse(null));
                invitations.forgetCallbackCredential(item.ref());
                log.info("Greenhouse told that invitation {} is complete (attempt {})", item.ref(), item.attempt());
            }
            outbox.done(item);
            return true;
        } catch (RuntimeException e) {
            boolean permanent = e instanceof PermanentFailureException;
            Integer status = e instanceof RemoteCallException r && r.status() > 0 ? r.status() : null;
            String response = e instanceof RemoteCallException r ? r.responseBody() : null;
            String reason = withoutEmails(String.valueOf(e.getMessage()));
            boolean dead = outbox.failed(item, reason, status, response, permanent);
            log.warn("{} for invitation {} failed (attempt {}{}): {}", item.kind(), item.ref(), item.attempt(),
                    dead ? ", given up: dead letter" : ", will retry", reason);
        }
        return false;
    }

    /** SMTP errors may quote the recipient; candidates' addresses stay out of logs and dead letters. */
    static String withoutEmails(String message) {
        return message.replaceAll("[^\\s<>\"',;:]+@[^\\s<>\"',;]+", "<email>");
    }
}
