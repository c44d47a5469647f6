package io.greenbridge.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.GreenbridgeApplication;
import io.greenbridge.sync.SyncRunner;

/**
 * {@code make run}: Greenbridge in sandbox mode on :8080, with Greenhouse, Beamery, the assessment platform and an
 * SMTP server simulated on loopback and seeded with demo data. It runs the syncs once, keeps Greenhouse sending
 * webhooks for edits it makes every few seconds, and plays one assessment end to end. Test sources only.
 */
public final class SandboxApplication {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxApplication.class);
    static final String ADMIN_TOKEN = "sandbox-admin-token";
    static final String WEBHOOK_SECRET = "sandbox-webhook-secret";

    private SandboxApplication() {
    }

    public static void main(String[] args) throws Exception {
        GreenhouseSimulator greenhouse = new GreenhouseSimulator();
        BeamerySimulator beamery = new BeamerySimulator();
        greenhouse.store().seedDemo(30, 300, 42);
        beamery.seedDemo();
        // some Greenhouse users also work in Beamery (matched by email); the rest show as unmatched
        List<ObjectNode> users = greenhouse.store().all("users");
        for (int i = 0; i < users.size(); i += 2) {
            ObjectNode u = users.get(i);
            beamery.addUser(u.path("primary_email").asText(), u.path("first_name").asText(), u.path("last_name").asText(), "recruiter");
        }
        AssessmentSandbox assessment = AssessmentSandbox.start(Duration.ofSeconds(5));

        int port = Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", "8080"));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("greenbridge.mode", "sandbox");
        props.put("server.port", port);
        // the sandbox is for this machine only: loopback, and a store that opens no port
        props.put("server.address", "127.0.0.1");
        props.put("spring.datasource.url", "jdbc:h2:file:" + Path.of("data", "sandbox").toAbsolutePath());
        props.put("greenbridge.admin-token", ADMIN_TOKEN);
        props.put("greenbridge.public-base-url", "http://localhost:" + port);
        props.put("greenbridge.greenhouse.harvest-url", greenhouse.baseUrl());
        props.put("greenbridge.greenhouse.auth-url", greenhouse.baseUrl());
        props.put("greenbridge.greenhouse.client-id", "gh-client");
        props.put("greenbridge.greenhouse.client-secret", "gh-secret");
        props.put("greenbridge.greenhouse.user-id", "1");
        props.put("greenbridge.greenhouse.webhook-secret", WEBHOOK_SECRET);
        props.put("greenbridge.beamery.api-url", beamery.baseUrl());
        props.put("greenbridge.beamery.client-id", "bm-client");
        props.put("greenbridge.beamery.client-secret", "bm-secret");
        props.put("greenbridge.vacancies.cron", "0 0/2 * * * ?");
        props.put("greenbridge.outbound.cron", "0/30 * * * * ?");
        props.putAll(assessment.properties());
        // the sandbox's Greenhouse is the one callback host send_test may name (loopback, so http is allowed)
        props.put("greenbridge.assessment.callback-hosts", greenhouse.baseUrl().replace("http://", ""));

        // system properties outrank application.yaml (builder "properties" are only defaults)
        props.forEach((k, v) -> System.setProperty(k, String.valueOf(v)));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(GreenbridgeApplication.class).run(args);
        String base = "http://localhost:" + port;
        SyncRunner runner = ctx.getBean(SyncRunner.class);
        for (String flow : List.of("reference", "vacancies", "candidates")) {
            if (runner.exists(flow)) {
                LOG.info("Sandbox: {} sync finished: {}", flow, runner.runNow(flow));
            }
        }
        ScheduledExecutorService demo = Executors.newSingleThreadScheduledExecutor();
        demo.scheduleWithFixedDelay(new GreenhouseActivity(greenhouse, base), 3, 4, TimeUnit.SECONDS);
        AssessmentSandbox.Demo played = assessment.runDemo(base, ADMIN_TOKEN,
                greenhouse.baseUrl() + "/integrations/testing_partners/take_home_tests/1");

        System.out.println("""

                ==================================================================================
                 Greenbridge sandbox is running on %1$s  (Ctrl-C stops everything)
                 Admin token:        %2$s
                 Status:             curl -H 'Authorization: Bearer %2$s' %1$s/api/status
                 Dead letters:       curl -H 'Authorization: Bearer %2$s' %1$s/api/dead-letters
                 Run a sync:         curl -XPOST -H 'Authorization: Bearer %2$s' '%1$s/api/sync/vacancies?wait=true'
                 Health (status):    %1$s/actuator/health   (details and metrics need the admin token:)
                 Health / metrics:   curl -H 'Authorization: Bearer %2$s' %1$s/actuator/health   .../actuator/prometheus
                 Greenhouse sim:     %3$s   (webhooks signed with '%4$s', one every ~4 s)
                 Beamery sim:        %5$s
                 Assessment:         company %6$s, key %7$s, interview %8$s
                                     candidate link %9$s
                                     curl -u '%7$s:' '%1$s/assessment/test_status?partner_interview_id=%8$s'
                 JMX:                jconsole -> org.apache.camel / io.greenbridge
                ==================================================================================
                """.formatted(base, ADMIN_TOKEN, greenhouse.baseUrl(), WEBHOOK_SECRET, beamery.baseUrl(),
                played.companyId(), played.apiKey(), played.partnerInterviewId(), played.candidateLink()));

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.shutdownNow();
            assessment.close();
            beamery.close();
            greenhouse.close();
        }));
    }

    /** A recruiter at work in Greenhouse: edits, stage moves and new applications, each followed by its webhook. */
    static final class GreenhouseActivity implements Runnable {
        private final GreenhouseSimulator greenhouse;
        private final GreenhouseWebhookSender sender = new GreenhouseWebhookSender(WEBHOOK_SECRET);
        private final GreenhouseWebhookPayloads payloads;
        private final String target;
        private final Random random = new Random(7);

        GreenhouseActivity(GreenhouseSimulator greenhouse, String base) {
            this.greenhouse = greenhouse;
            this.payloads = new GreenhouseWebhookPayloads(greenhouse);
            this.target = base + "/webhooks/greenhouse";
        }

        @Override
        public void run() {
            try {
                List<ObjectNode> candidates = greenhouse.store().all("candidates");
                List<ObjectNode> applications = greenhouse.store().all("applications");
                if (candidates.isEmpty() || applications.isEmpty()) {
                    return;
                }
                if (random.nextBoolean()) {
                    long id = candidates.get(random.nextInt(candidates.size())).path("id").asLong();
                    greenhouse.store().updateCandidate(id, c -> c.put("title", "Engineer " + random.nextInt(100)));
                    sender.send(target, "update_candidate", payloads.updateCandidate(id));
                } else {
                    long app = applications.get(random.nextInt(applications.size())).path("id").asLong();
                    sender.send(target, "candidate_stage_change", payloads.candidateStageChange(app));
                }
            } catch (RuntimeException e) {
                LOG.warn("Sandbox activity: {}", e.toString());
            }
        }
    }
}
