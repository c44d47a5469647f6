package io.greenbridge.assessment;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.greenbridge.sandbox.AssessmentCaller;
import io.greenbridge.sandbox.AssessmentPlatformSimulator;
import io.greenbridge.sandbox.GreenhouseCallbackReceiver;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * One running Greenbridge shared by the assessment tests, with GreenMail as SMTP server, the assessment platform
 * simulator and a Greenhouse callback receiver. Each test makes its own companies, so tests do not interfere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class AssessmentTestBase {
    static final String ADMIN = "test-admin-token";
    static final String SECRET = "test-results-secret";
    static final String PUBLIC_BASE = "https://candidates.greenbridge.example";
    static final int MAX_ATTEMPTS = 5;
    static final String TESTS = "[{\"id\":\"plum-discovery\",\"name\":\"Plum Discovery Survey\"},"
            + "{\"id\":\"sales-fit\",\"name\":\"Sales Fit\"}]";

    static final GreenMail MAIL;
    static final AssessmentPlatformSimulator PLATFORM;
    static final GreenhouseCallbackReceiver GREENHOUSE;
    /** A port nothing listens on, on the callback allowlist: every PATCH there fails to connect. */
    static final int DEAD_PORT;
    /** A raw HTTP server on the allowlist that misbehaves on purpose (streams, trickles, redirects). */
    static final HostileCallbackServer HOSTILE;
    /** send_test limits of the test context (low, so a test can reach them). */
    static final int PER_COMPANY = 8;
    static final int PER_RECIPIENT = 3;

    static {
        try (ServerSocket free = new ServerSocket(0)) {
            MAIL = new GreenMail(new ServerSetup(free.getLocalPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        MAIL.start();
        try (ServerSocket free = new ServerSocket(0)) {
            DEAD_PORT = free.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            PLATFORM = new AssessmentPlatformSimulator(SECRET);
            GREENHOUSE = new GreenhouseCallbackReceiver();
            HOSTILE = new HostileCallbackServer(GREENHOUSE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void assessmentSettings(DynamicPropertyRegistry registry) {
        registry.add("greenbridge.assessment.smtp.host", () -> "127.0.0.1");
        registry.add("greenbridge.assessment.smtp.port", () -> MAIL.getSmtp().getPort());
        registry.add("greenbridge.assessment.platform-url", PLATFORM::takeUrlTemplate);
        registry.add("greenbridge.assessment.results-secret", () -> SECRET);
        registry.add("greenbridge.assessment.max-attempts", () -> MAX_ATTEMPTS);
        registry.add("greenbridge.public-base-url", () -> PUBLIC_BASE);
        registry.add("greenbridge.assessment.callback-hosts", () -> "*.greenhouse.io,"
                + GREENHOUSE.baseUrl().replace("http://", "") + ",127.0.0.1:" + DEAD_PORT + ",127.0.0.1:" + HOSTILE.port());
        registry.add("greenbridge.assessment.rate-limits.per-company", () -> PER_COMPANY);
        registry.add("greenbridge.assessment.rate-limits.per-recipient", () -> PER_RECIPIENT);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void platformPostsToThisGreenbridge() {
        PLATFORM.greenbridge(base());
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A fresh company with the two test offers and a user's key; the caller speaks as Greenhouse with that key. */
    Company newCompany() {
        String id = AssessmentCaller.createCompany(base(), ADMIN, "Acme " + UUID.randomUUID(), TESTS);
        AssessmentCaller.Key key = AssessmentCaller.issueKey(base(), ADMIN, id, "recruiter@acme.example");
        return new Company(id, key, new AssessmentCaller(base(), key.key()));
    }

    record Company(String id, AssessmentCaller.Key key, AssessmentCaller greenhouse) {
    }

    static String uniqueEmail() {
        return "cand-" + UUID.randomUUID() + "@example.org";
    }

    static String sendTestBody(String testId, String email, String callbackUrl) {
        return """
                {"partner_test_id": "%s",
                 "candidate": {"first_name": "Steve", "last_name": "Jobson", "preferred_name": "Steve",
                   "resume_url": null, "phone_number": "+1 555 0100", "email": "%s",
                   "greenhouse_profile_url": "https://app.greenhouse.io/people/17681532?application_id=26234709"},
                 "sent_by": "recruiter@acme.example",
                 "url": "%s"}""".formatted(testId, email, callbackUrl);
    }

    static List<MimeMessage> mailsTo(String email) {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(email));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static MimeMessage awaitMailTo(String email) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !mailsTo(email).isEmpty());
        return mailsTo(email).get(0);
    }

    /** The decoded plain-text body. */
    static String body(MimeMessage mail) {
        try {
            return mail.getContent().toString().replace("\r\n", "\n");
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The candidate token from the invitation email's link. */
    static String tokenIn(MimeMessage mail) {
        Matcher m = Pattern.compile(Pattern.quote(PUBLIC_BASE) + "/a/([A-Za-z0-9_-]+)").matcher(body(mail));
        if (!m.find()) {
            throw new AssertionError("no candidate link in: " + body(mail));
        }
        return m.group(1);
    }

    /** Sends a test the way Greenhouse does and returns the token the candidate received. */
    Invited invite(Company company, String callbackUrl) {
        String email = uniqueEmail();
        AssessmentCaller.Answer sent = company.greenhouse().sendTest(sendTestBody("plum-discovery", email, callbackUrl));
        if (sent.status() != 200) {
            throw new AssertionError("send_test answered " + sent.status() + ": " + sent.body());
        }
        String id = sent.json().path("partner_interview_id").asText();
        return new Invited(id, email, tokenIn(awaitMailTo(email)));
    }

    record Invited(String partnerInterviewId, String email, String token) {
    }
}
