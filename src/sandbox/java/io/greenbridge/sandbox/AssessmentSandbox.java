package io.greenbridge.sandbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * The assessment part of {@code make run}: GreenMail as the SMTP server and the assessment platform simulator in
 * demo mode (a visited test completes itself after a few seconds). {@link #properties()} goes into the Spring
 * environment before start-up; {@link #runDemo} then plays Greenhouse and the candidate once, end to end.
 */
public final class AssessmentSandbox implements AutoCloseable {
    public static final String RESULTS_SECRET = "sandbox-results-secret";

    private final GreenMail mail;
    private final AssessmentPlatformSimulator platform;

    private AssessmentSandbox(GreenMail mail, AssessmentPlatformSimulator platform) {
        this.mail = mail;
        this.platform = platform;
    }

    public static AssessmentSandbox start(Duration autoComplete) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return new AssessmentSandbox(mail, new AssessmentPlatformSimulator(RESULTS_SECRET).autoCompleteAfter(autoComplete));
    }

    /** Settings that point Greenbridge's assessment side at the simulators. */
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("greenbridge.assessment.smtp.host", "127.0.0.1");
        p.put("greenbridge.assessment.smtp.port", mail.getSmtp().getPort());
        p.put("greenbridge.assessment.platform-url", platform.takeUrlTemplate());
        p.put("greenbridge.assessment.results-secret", RESULTS_SECRET);
        return p;
    }

    public AssessmentPlatformSimulator platform() {
        return platform;
    }

    public GreenMail mail() {
        return mail;
    }

    /** What the demo made, for the console. */
    public record Demo(String companyId, String apiKey, String partnerInterviewId, String candidateLink) {
    }

    /**
     * Creates a demo company and key, sends a test as Greenhouse would (callback to {@code callbackUrl}), reads the
     * invitation email and opens its link as the candidate; the platform then completes the test by itself and
     * Greenbridge calls Greenhouse back. {@code greenbridgeBaseUrl} must be where the candidate link's path is served.
     */
    public Demo runDemo(String greenbridgeBaseUrl, String adminToken, String callbackUrl) throws InterruptedException {
        platform.greenbridge(greenbridgeBaseUrl);
        String company = AssessmentCaller.createCompany(greenbridgeBaseUrl, adminToken, "Demo Corp",
                "[{\"id\":\"plum-discovery\",\"name\":\"Plum Discovery Survey\"}]");
        AssessmentCaller.Key key = AssessmentCaller.issueKey(greenbridgeBaseUrl, adminToken, company, "recruiter@demo.example");
        AssessmentCaller greenhouse = new AssessmentCaller(greenbridgeBaseUrl, key.key());
        String email = "steve.candidate@demo.example";
        String id = greenhouse.sendTest("""
                {"partner_test_id": "plum-discovery",
                 "candidate": {"first_name": "Steve", "last_name": "Demo", "preferred_name": null, "email": "%s",
                   "greenhouse_profile_url": "https://app.greenhouse.io/people/1?application_id=1"},
                 "sent_by": "recruiter@demo.example", "url": "%s"}""".formatted(email, callbackUrl))
                .json().path("partner_interview_id").asText();
        String link = awaitLink(email);
        Matcher token = Pattern.compile("/a/([A-Za-z0-9_-]+)").matcher(link);
        if (token.find()) {
            String platformPage = greenhouse.openAndStart(token.group(1));
            if (platformPage != null) {
                greenhouse.open(platformPage);
            }
        }
        return new Demo(company, key.key(), id, link);
    }

    private String awaitLink(String email) throws InterruptedException {
        Pattern link = Pattern.compile("https?://\\S+/a/[A-Za-z0-9_-]+");
        for (int i = 0; i < 100; i++) {
            for (MimeMessage m : mail.getReceivedMessages()) {
                try {
                    Matcher found = link.matcher(m.getContent().toString());
                    if (m.getAllRecipients()[0].toString().equals(email) && found.find()) {
                        return found.group();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no invitation email reached the sandbox SMTP server in 20 s");
    }

    @Override
    public void close() {
        platform.close();
        mail.stop();
    }
}
