package io.greenbridge.assessment;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.PermanentFailureException;

/** Sends a candidate's invitation email through Camel mail (SMTP): the test's name and the no-login link. */
@Component
public class InvitationMailer {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private final ProducerTemplate producer;
    private final JdbcTemplate jdbc;
    private final GreenbridgeProperties.Assessment settings;
    private final String publicBaseUrl;
    private final SmtpSecurity security;

    public InvitationMailer(ProducerTemplate producer, JdbcTemplate jdbc, GreenbridgeProperties props) {
        this.producer = producer;
        this.jdbc = jdbc;
        this.settings = props.assessment();
        this.publicBaseUrl = props.publicBaseUrl().replaceAll("/+$", "");
        GreenbridgeProperties.Assessment.Smtp smtp = settings.smtp();
        // decided (and a clear-text remote server refused) at start-up, not at the first invitation
        this.security = smtp == null || smtp.host() == null || smtp.host().isBlank() ? null : SmtpSecurity.of(smtp);
    }

    /** The link a candidate follows; the token alone identifies the invitation. */
    public String candidateLink(String token) {
        return publicBaseUrl + "/a/" + token;
    }

    void send(Invitation inv, String token) {
        GreenbridgeProperties.Assessment.Smtp smtp = settings.smtp();
        if (smtp.host() == null || smtp.host().isBlank()) {
            throw new IllegalStateException("SMTP_HOST is not set, so invitation emails cannot be sent");
        }
        String testName = jdbc.queryForList("SELECT test_name FROM company_tests WHERE company_id = ? AND test_id = ?",
                String.class, inv.companyId(), inv.partnerTestId()).stream().findFirst().orElse(inv.partnerTestId());
        String company = jdbc.queryForList("SELECT name FROM companies WHERE id = ?", String.class, inv.companyId())
                .stream().findFirst().orElseThrow(() -> new PermanentFailureException("company is gone"));
        Exchange mail = new DefaultExchange(producer.getCamelContext());
        mail.getMessage().setHeader("To", inv.candidateEmail());
        mail.getMessage().setHeader("From", settings.mailFrom());
        mail.getMessage().setHeader("Subject", company + " invites you to take an assessment: " + testName);
        mail.getMessage().setBody(body(inv, company, testName, candidateLink(token)));
        Exchange sent = producer.send(security.endpoint(smtp), mail);
        if (sent.getException() != null) {
            throw new IllegalStateException("SMTP " + smtp.host() + ":" + smtp.port() + " refused the email: "
                    + sent.getException().getMessage(), sent.getException());
        }
    }

    private static String body(Invitation inv, String company, String testName, String link) {
        String name = inv.candidateFirstName() == null ? "" : " " + inv.candidateFirstName();
        return "Hello" + name + ",\n\n"
                + company + " invites you to take the assessment \"" + testName + "\".\n\n"
                + "Start it here (no login needed):\n" + link + "\n\n"
                + "The link is personal, so please do not share it. It works until "
                + DAY.format(inv.expiresAt()) + ".\n";
    }
}
