package io.greenbridge.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties.Mode;

/**
 * Live mode refuses to start unless the contract's required variables are set and well formed; the error
 * names every problem at once, so an operator fixes them in one go.
 */
@Component
public class StartupValidator implements InitializingBean {
    private final GreenbridgeProperties props;

    public StartupValidator(GreenbridgeProperties props) {
        this.props = props;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = problems(props);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** Every missing or invalid setting; empty in sandbox mode, where the simulators supply them. */
    public static List<String> problems(GreenbridgeProperties p) {
        List<String> out = new ArrayList<>();
        if (p.mode() == Mode.SANDBOX) {
            return out;
        }
        url(out, "GREENHOUSE_HARVEST_URL", p.greenhouse().harvestUrl());
        url(out, "GREENHOUSE_AUTH_URL", p.greenhouse().authUrl());
        required(out, "GREENHOUSE_CLIENT_ID", p.greenhouse().clientId());
        required(out, "GREENHOUSE_CLIENT_SECRET", p.greenhouse().clientSecret());
        required(out, "GREENHOUSE_USER_ID", p.greenhouse().userId());
        if (notBlank(p.greenhouse().userId()) && !p.greenhouse().userId().matches("\\d+")) {
            out.add("GREENHOUSE_USER_ID must be a numeric Greenhouse user id (got a non-number)");
        }
        required(out, "GREENHOUSE_WEBHOOK_SECRET", p.greenhouse().webhookSecret());
        url(out, "BEAMERY_API_URL", p.beamery().apiUrl());
        required(out, "BEAMERY_CLIENT_ID", p.beamery().clientId());
        required(out, "BEAMERY_CLIENT_SECRET", p.beamery().clientSecret());
        required(out, "GREENBRIDGE_ADMIN_TOKEN", p.adminToken());
        url(out, "PUBLIC_BASE_URL", p.publicBaseUrl());
        GreenbridgeProperties.Assessment a = p.assessment();
        boolean assessments = notBlank(a.smtp().host()) || notBlank(a.platformUrl()) || notBlank(a.resultsSecret());
        if (assessments) { // the assessment partner is on when any of its settings is given; then all are needed
            required(out, "SMTP_HOST", a.smtp().host());
            url(out, "ASSESSMENT_PLATFORM_URL", a.platformUrl());
            required(out, "ASSESSMENT_RESULTS_SECRET", a.resultsSecret());
        }
        if (p.beamery().requestsPerSecond() < 1 || p.beamery().requestsPerSecond() > 40) {
            out.add("greenbridge.beamery.requests-per-second must be between 1 and 40 (Beamery's limit)");
        }
        if (p.greenhouse().perPage() < 1 || p.greenhouse().perPage() > 500) {
            out.add("greenbridge.greenhouse.per-page must be between 1 and 500");
        }
        return out;
    }

    private static void required(List<String> out, String name, String value) {
        if (!notBlank(value)) {
            out.add(name + " is required");
        }
    }

    private static void url(List<String> out, String name, String value) {
        if (!notBlank(value)) {
            out.add(name + " is required");
            return;
        }
        try {
            URI u = URI.create(value);
            if (u.getScheme() == null || !u.getScheme().startsWith("http") || u.getHost() == null) {
                out.add(name + " must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            out.add(name + " must be an http(s) URL");
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** Thrown at start-up; {@link InvalidConfigurationFailureAnalyzer} prints it without a stack trace. */
    public static class InvalidConfigurationException extends RuntimeException {
        private final List<String> problems;

        public InvalidConfigurationException(List<String> problems) {
            super("Greenbridge cannot start in live mode: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
