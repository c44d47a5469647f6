package io.greenbridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The whole {@code greenbridge.*} configuration tree. Defaults live in application.yaml (each documented
 * there); {@link StartupValidator} checks the live-mode requirements and names every missing variable.
 */
@ConfigurationProperties(prefix = "greenbridge")
public record GreenbridgeProperties(
        Mode mode,
        String adminToken,
        String dataKey,
        String publicBaseUrl,
        String mappingsDir,
        Greenhouse greenhouse,
        Beamery beamery,
        Inbox inbox,
        Vacancies vacancies,
        Reference reference,
        Candidates candidates,
        Outbound outbound,
        Assessment assessment) {

    public enum Mode { LIVE, SANDBOX }

    /** Harvest v3 and webhook settings. */
    public record Greenhouse(
            String harvestUrl,
            String authUrl,
            String clientId,
            String clientSecret,
            String userId,
            String webhookSecret,
            int perPage,
            int maxRetries,
            Duration requestTimeout,
            Duration retryBackoff,
            int maxPages,
            long maxPageBytes) {
    }

    /** Beamery API settings. */
    public record Beamery(
            String apiUrl,
            String clientId,
            String clientSecret,
            int requestsPerSecond,
            int pageSize,
            int maxRetries,
            Duration requestTimeout,
            Duration retryBackoff,
            int maxPages,
            long maxPageBytes,
            Auth auth,
            String username,
            String password) {
        /** client-credentials: {@code POST /oauth/token}; api-user: {@code GET /auth} with Basic username:password. */
        public enum Auth { CLIENT_CREDENTIALS, API_USER }
    }

    /** The durable webhook inbox and its worker. */
    public record Inbox(
            long maxBodyBytes,
            Duration pollInterval,
            int batchSize,
            int workers,
            int maxAttempts,
            Duration backoffInitial,
            Duration backoffMax) {
    }

    /** Greenhouse jobs → Beamery vacancies. */
    public record Vacancies(
            String cron,
            Duration overlap,
            boolean blockConfidential,
            DeletedJobAction deletedJobAction,
            String defaultOwnerEmail,
            /** Beamery writes in flight at once (Camel thread pool vacancy-writes); the shared limiter paces them. */
            int writeConcurrency) {
        public enum DeletedJobAction { CLOSE, KEEP }
    }

    /** Users, sources, departments and cached reference tables. */
    public record Reference(String cron, String defaultUserEmail, Duration usersCacheTtl) {
    }

    /** Greenhouse candidates/prospects → Beamery contacts. */
    public record Candidates(
            boolean blockPrivate,
            boolean blockConfidential,
            DeleteAction deleteAction,
            boolean backfillOnStart,
            String reconcileCron,
            Duration overlap,
            List<String> attachmentTypes,
            long maxAttachmentBytes,
            Boolean beameryMerge,
            boolean adoptByIntegrationSearch) {
        public enum DeleteAction { KEEP, ANONYMIZE }

        /** merge_candidate calls Beamery's (assumed) contact merge: on|off; unset = on in sandbox, off live. */
        public boolean beameryMergeOn(Mode mode) {
            return beameryMerge != null ? beameryMerge : mode == Mode.SANDBOX;
        }
    }

    /** Beamery contacts → Greenhouse candidates. */
    public record Outbound(
            String cron,
            Duration overlap,
            AnonymizationMode anonymizationMode,
            String consentStatusField,
            String consentDateField,
            List<Rule> rules,
            int pushConcurrency,
            String candidateUrl,
            Boolean greenhouseMerge) {
        public enum AnonymizationMode { BIDIRECTIONAL, GREENHOUSE_SOURCE_OF_TRUTH }

        @org.springframework.boot.context.properties.bind.ConstructorBinding // the canonical one binds; the short one is for code
        public Outbound {
        }

        public Outbound(String cron, Duration overlap, AnonymizationMode anonymizationMode, String consentStatusField,
                        String consentDateField, List<Rule> rules, int pushConcurrency, String candidateUrl) {
            this(cron, overlap, anonymizationMode, consentStatusField, consentDateField, rules, pushConcurrency, candidateUrl, null);
        }

        /** A Beamery merge calls POST /v3/candidates/{id}/merge (direction unconfirmed): on|off; unset = on in sandbox, off live. */
        public boolean greenhouseMergeOn(Mode mode) {
            return greenhouseMerge != null ? greenhouseMerge : mode == Mode.SANDBOX;
        }

        /** An automation rule: when a contact matches {@code when}, push it as {@code push}. */
        public record Rule(String name, String when, String value, String push) {
        }
    }

    /** The assessment-partner side. */
    public record Assessment(
            String platformUrl,
            String resultsSecret,
            Duration tokenTtl,
            String mailFrom,
            Smtp smtp,
            int maxAttempts,
            Duration backoffInitial,
            Duration backoffMax,
            Duration pollInterval,
            Map<String, String> defaultTests,
            List<String> callbackHosts,
            Duration resultsGrace,
            RateLimits rateLimits,
            Duration responseErrorRetention) {
        /** {@code security}: starttls, tls or none; empty = starttls unless the host is loopback. */
        public record Smtp(String host, Integer port, String username, String password, String security) {
        }

        /** send_test limits within {@code window}: invitations per company and per recipient e-mail. */
        public record RateLimits(int perCompany, int perRecipient, Duration window) {
        }
    }
}
