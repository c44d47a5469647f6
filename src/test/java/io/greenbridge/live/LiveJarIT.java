package io.greenbridge.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.greenbridge.sandbox.AssessmentCaller;
import io.greenbridge.sandbox.AssessmentPlatformSimulator;
import io.greenbridge.sandbox.BeamerySimulator;
import io.greenbridge.sandbox.GreenbridgeProcess;
import io.greenbridge.sandbox.GreenhouseSimulator;
import io.greenbridge.sandbox.GreenhouseWebhookPayloads;
import io.greenbridge.sandbox.GreenhouseWebhookSender;
import jakarta.mail.internet.MimeMessage;

/**
 * The packaged jar, {@code target/greenbridge.jar}, started as an operator starts it: {@code java -jar} in live mode
 * with every documented variable in its environment, against the simulators on loopback. Runs under Failsafe
 * ({@code make test} = {@code mvn verify}), after the jar is built.
 */
class LiveJarIT {
    static final Path JAR = Path.of(System.getProperty("greenbridge.jar", "target/greenbridge.jar"));
    static final Path WORK = Path.of("target", "live-jar-it");
    static final String GH_CLIENT = "gh-live-client";
    static final String GH_SECRET = random(20);
    static final String BM_CLIENT = "bm-live-client";
    static final String BM_SECRET = random(20);
    static final String ADMIN_TOKEN = random(32);
    static final String WEBHOOK_SECRET = random(16);
    static final String RESULTS_SECRET = random(32);
    static final String DATA_KEY = random(32);

    static GreenhouseSimulator greenhouse;
    static BeamerySimulator beamery;
    static AssessmentPlatformSimulator platform;
    static GreenMail mail;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void simulators() throws Exception {
        assertThat(JAR).as("the packaged jar (mvn verify builds it before this test)").exists();
        Files.createDirectories(WORK);
        greenhouse = new GreenhouseSimulator(GH_CLIENT, GH_SECRET);
        beamery = new BeamerySimulator(BM_CLIENT, BM_SECRET);
        greenhouse.store().seedDemo(2, 3, 7);
        platform = new AssessmentPlatformSimulator(RESULTS_SECRET);
        mail = new GreenMail(new ServerSetup(GreenbridgeProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
    }

    @AfterAll
    static void stop() {
        if (mail != null) mail.stop();
        if (platform != null) platform.close();
        if (beamery != null) beamery.close();
        if (greenhouse != null) greenhouse.close();
    }

    /** Every variable of the README's configuration table, assessment partner on. */
    static Map<String, String> liveEnvironment(int port, String name) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", String.valueOf(port));
        // a fresh store per run: links left by an earlier run would point at contacts these simulators never had
        env.put("DB_URL", "jdbc:h2:file:" + WORK.resolve(name + "-" + System.currentTimeMillis()).toAbsolutePath()
                + "/greenbridge");
        env.put("DB_USERNAME", "sa");
        env.put("DB_PASSWORD", "");
        env.put("GREENHOUSE_HARVEST_URL", greenhouse.baseUrl());
        env.put("GREENHOUSE_AUTH_URL", greenhouse.baseUrl());
        env.put("GREENHOUSE_CLIENT_ID", GH_CLIENT);
        env.put("GREENHOUSE_CLIENT_SECRET", GH_SECRET);
        env.put("GREENHOUSE_USER_ID", "1");
        env.put("GREENHOUSE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("BEAMERY_API_URL", beamery.baseUrl());
        env.put("BEAMERY_CLIENT_ID", BM_CLIENT);
        env.put("BEAMERY_CLIENT_SECRET", BM_SECRET);
        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:" + port);
        env.put("GREENBRIDGE_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("GREENBRIDGE_DATA_KEY", DATA_KEY);
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(mail.getSmtp().getPort()));
        env.put("SMTP_USERNAME", "");
        env.put("SMTP_PASSWORD", "");
        env.put("MAIL_FROM", "assessments@live-it.example");
        env.put("ASSESSMENT_PLATFORM_URL", platform.baseUrl() + "/take/{token}");
        env.put("ASSESSMENT_RESULTS_SECRET", RESULTS_SECRET);
        return env;
    }

    @Test
    void theJarStartsLiveWithEveryDocumentedVariableAndAcceptsASignedWebhook() throws Exception {
        int port = GreenbridgeProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        try (Jar jar = Jar.start(liveEnvironment(port, "live"), WORK.resolve("live.log"))) {
            jar.awaitStatus(base + "/actuator/health/readiness", 200, Duration.ofSeconds(180));
            HttpResponse<String> health = get(base + "/actuator/health", null);
            assertThat(health.statusCode()).as(jar.log()).isEqualTo(200);
            assertThat(health.body()).as(jar.log()).contains("\"status\":\"UP\"");
            assertThat(get(base + "/api/status", ADMIN_TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base + "/api/status", "wrong-" + ADMIN_TOKEN).statusCode()).isEqualTo(401);

            // a webhook signed with GREENHOUSE_WEBHOOK_SECRET is stored and applied; a wrong signature is refused
            ObjectNode application = greenhouse.store().all("applications").get(0);
            long candidate = application.path("candidate_id").asLong();
            String body = new GreenhouseWebhookPayloads(greenhouse).newCandidateApplication(application.path("id").asLong());
            String target = base + "/webhooks/greenhouse";
            assertThat(new GreenhouseWebhookSender(WEBHOOK_SECRET + "x").send(target, "new_candidate_application", body))
                    .isEqualTo(401);
            assertThat(new GreenhouseWebhookSender(WEBHOOK_SECRET).send(target, "new_candidate_application", body))
                    .isEqualTo(200);
            try {
                Awaitility.await("a Beamery contact for Greenhouse candidate " + candidate).atMost(Duration.ofSeconds(90))
                        .until(() -> beamery.contacts().stream().anyMatch(c -> c.path("integrations").path("greenhouse")
                                .path("id").asText().equals(String.valueOf(candidate))));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "\nGreenhouse saw " + greenhouse.requests()
                        + "\nBeamery saw " + beamery.requests() + "\n" + jar.log(), e);
            }

            // the assessment partner runs live: send_test mails an invitation whose link is under PUBLIC_BASE_URL
            String company = AssessmentCaller.createCompany(base, ADMIN_TOKEN, "Live Corp",
                    "[{\"id\":\"live-test\",\"name\":\"Live Test\"}]");
            AssessmentCaller.Key key = AssessmentCaller.issueKey(base, ADMIN_TOKEN, company, "recruiter@live-it.example");
            AssessmentCaller.Answer sent = new AssessmentCaller(base, key.key()).sendTest("""
                    {"partner_test_id": "live-test",
                     "candidate": {"first_name": "Lee", "last_name": "Live", "email": "lee.live@live-it.example",
                       "greenhouse_profile_url": "https://app.greenhouse.io/people/1?application_id=1"},
                     "sent_by": "recruiter@live-it.example",
                     "url": "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/1"}""");
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            Awaitility.await("the invitation e-mail").atMost(Duration.ofSeconds(60))
                    .until(() -> mail.getReceivedMessages().length > 0);
            MimeMessage invitation = mail.getReceivedMessages()[0];
            assertThat(invitation.getAllRecipients()[0].toString()).isEqualTo("lee.live@live-it.example");
            assertThat(invitation.getContent().toString()).contains(base + "/a/");
            // no secret of the environment reaches the log
            String log = jar.log();
            for (String secret : List.of(ADMIN_TOKEN, WEBHOOK_SECRET, RESULTS_SECRET, DATA_KEY, GH_SECRET, BM_SECRET)) {
                assertThat(log).as("a secret in the log").doesNotContain(secret);
            }
        }
    }

    @Test
    void theJarRefusesPlaceholderSecretsNamingEachVariable() throws Exception {
        int port = GreenbridgeProcess.freePort();
        Map<String, String> env = liveEnvironment(port, "weak");
        List<String> weak = List.of("GREENBRIDGE_ADMIN_TOKEN", "GREENHOUSE_WEBHOOK_SECRET", "ASSESSMENT_RESULTS_SECRET",
                "GREENBRIDGE_DATA_KEY", "GREENHOUSE_CLIENT_SECRET", "BEAMERY_CLIENT_SECRET");
        weak.forEach(name -> env.put(name, "change-me"));
        try (Jar jar = Jar.start(env, WORK.resolve("weak.log"))) {
            int exit = jar.awaitExit(Duration.ofSeconds(120));
            String log = jar.log();
            assertThat(exit).as(log).isNotZero();
            for (String name : weak) {
                assertThat(log).contains(name + " is a placeholder value");
            }
            assertThat(log).as("refused before the web server started").doesNotContain("Tomcat started");
        }
    }

    @Test
    void theJarRefusesSandboxMode() throws Exception {
        int port = GreenbridgeProcess.freePort();
        Map<String, String> env = liveEnvironment(port, "sandbox");
        env.put("GREENBRIDGE_MODE", "sandbox");
        try (Jar jar = Jar.start(env, WORK.resolve("sandbox.log"))) {
            int exit = jar.awaitExit(Duration.ofSeconds(120));
            assertThat(exit).as(jar.log()).isNotZero();
            assertThat(jar.log()).contains("GREENBRIDGE_MODE (greenbridge.mode) is sandbox");
        }
    }

    HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String random(int chars) {
        byte[] bytes = new byte[(chars + 1) / 2];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, chars);
    }

    /** {@code java -jar target/greenbridge.jar} with exactly this environment (no inherited Greenbridge settings). */
    static final class Jar implements AutoCloseable {
        private final Process process;
        private final Path log;

        private Jar(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Jar start(Map<String, String> env, Path log) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar",
                    JAR.toAbsolutePath().toString())
                    .directory(new File(System.getProperty("user.dir")))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = pb.environment();
            // only what the test sets: an operator's shell variables must not leak into the check
            environment.keySet().removeIf(k -> k.startsWith("GREENBRIDGE_") || k.startsWith("GREENHOUSE_")
                    || k.startsWith("BEAMERY_") || k.startsWith("DB_") || k.startsWith("SMTP_")
                    || k.startsWith("ASSESSMENT_") || k.startsWith("SPRING_") || k.equals("JAVA_TOOL_OPTIONS")
                    || k.equals("MAIL_FROM") || k.equals("PUBLIC_BASE_URL") || k.equals("SERVER_PORT"));
            environment.putAll(env);
            return new Jar(pb.start(), log);
        }

        void awaitStatus(String url, int status, Duration timeout) throws Exception {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("the jar exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
                        return;
                    }
                } catch (Exception e) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new AssertionError(url + " did not answer " + status + " within " + timeout + ":\n" + log());
        }

        int awaitExit(Duration timeout) throws Exception {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the jar did not exit within " + timeout + ":\n" + log());
            }
            return process.exitValue();
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (Exception e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
