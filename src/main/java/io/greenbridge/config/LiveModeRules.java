package io.greenbridge.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The live-mode requirements, one rule per contract variable: where its value comes from, when it applies and how
 * it is checked. A new variable is one more line in {@link #RULES}. Messages name the variable, never its value.
 */
public final class LiveModeRules {
    /** Minimum lengths of the secrets Greenbridge's operator chooses (vendor-issued ones have none). */
    public static final int ADMIN_TOKEN_MIN = 32;
    public static final int WEBHOOK_SECRET_MIN = 16;
    public static final int RESULTS_SECRET_MIN = 32;
    public static final int DATA_KEY_MIN = 32;

    private static final Predicate<GreenbridgeProperties> ALWAYS = p -> true;
    private static final Predicate<GreenbridgeProperties> ASSESSMENTS = LiveModeRules::assessmentsOn;
    // BEAMERY_AUTH picks the credential pair that is required: client-credentials (default) or api-user
    private static final Predicate<GreenbridgeProperties> BEAMERY_API_USER =
            p -> p.beamery().auth() == GreenbridgeProperties.Beamery.Auth.API_USER;
    private static final Predicate<GreenbridgeProperties> BEAMERY_CLIENT = BEAMERY_API_USER.negate();

    public static final List<Rule> RULES = List.of(
            new Rule("GREENHOUSE_HARVEST_URL", p -> p.greenhouse().harvestUrl(), ALWAYS, Check.HTTPS_UNLESS_LOOPBACK),
            new Rule("GREENHOUSE_AUTH_URL", p -> p.greenhouse().authUrl(), ALWAYS, Check.HTTPS_UNLESS_LOOPBACK),
            new Rule("GREENHOUSE_CLIENT_ID", p -> p.greenhouse().clientId(), ALWAYS, Check.credential()),
            new Rule("GREENHOUSE_CLIENT_SECRET", p -> p.greenhouse().clientSecret(), ALWAYS, Check.credential()),
            new Rule("GREENHOUSE_USER_ID", p -> p.greenhouse().userId(), ALWAYS, Check.NUMERIC),
            new Rule("GREENHOUSE_WEBHOOK_SECRET", p -> p.greenhouse().webhookSecret(), ALWAYS,
                    Check.secret(WEBHOOK_SECRET_MIN, "an admin types it into Greenhouse's web hook form: paste a "
                            + "random one, e.g. `openssl rand -hex 16`")),
            new Rule("BEAMERY_API_URL", p -> p.beamery().apiUrl(), ALWAYS, Check.HTTPS_UNLESS_LOOPBACK),
            new Rule("BEAMERY_CLIENT_ID", p -> p.beamery().clientId(), BEAMERY_CLIENT, Check.credential()),
            new Rule("BEAMERY_CLIENT_SECRET", p -> p.beamery().clientSecret(), BEAMERY_CLIENT, Check.credential()),
            new Rule("BEAMERY_USERNAME", p -> p.beamery().username(), BEAMERY_API_USER, Check.credential()),
            new Rule("BEAMERY_PASSWORD", p -> p.beamery().password(), BEAMERY_API_USER, Check.credential()),
            new Rule("GREENBRIDGE_ADMIN_TOKEN", p -> p.adminToken(), ALWAYS,
                    Check.secret(ADMIN_TOKEN_MIN, "e.g. `openssl rand -hex 32`")),
            new Rule("GREENBRIDGE_DATA_KEY", p -> p.dataKey(), ALWAYS,
                    Check.secret(DATA_KEY_MIN, "keys tombstones and data encrypted at rest; keep it with the "
                            + "database backups, e.g. `openssl rand -hex 32`")),
            new Rule("PUBLIC_BASE_URL", p -> p.publicBaseUrl(), ALWAYS, Check.HTTPS_UNLESS_LOOPBACK),
            // the assessment partner is on when any of its settings is given; then all are needed
            new Rule("SMTP_HOST", p -> p.assessment().smtp().host(), ASSESSMENTS, Check.REQUIRED),
            new Rule("SMTP_USERNAME", p -> p.assessment().smtp().username(), ASSESSMENTS, Check.OPTIONAL_CREDENTIAL),
            new Rule("SMTP_PASSWORD", p -> p.assessment().smtp().password(), ASSESSMENTS, Check.OPTIONAL_CREDENTIAL),
            new Rule("ASSESSMENT_PLATFORM_URL", p -> p.assessment().platformUrl(), ASSESSMENTS, Check.PLATFORM_URL),
            new Rule("ASSESSMENT_RESULTS_SECRET", p -> p.assessment().resultsSecret(), ASSESSMENTS,
                    Check.secret(RESULTS_SECRET_MIN, "share it with the assessment platform, e.g. `openssl rand -hex 32`")));

    /** Values shipped in examples and templates, compared without case and without `-`, `_`, `.` or spaces. */
    private static final Set<String> PLACEHOLDERS = Set.of("changeme", "secret", "password", "passwd", "example",
            "todo", "tbd", "fixme", "replaceme", "placeholder", "default", "test", "none", "null", "admin",
            "token", "key", "yoursecret", "yourtoken", "mysecret", "setme", "insertsecrethere");

    private LiveModeRules() {
    }

    /** One variable's requirement. */
    public record Rule(String variable, Function<GreenbridgeProperties, String> value,
                       Predicate<GreenbridgeProperties> applies, Check check) {
        void check(GreenbridgeProperties p, List<String> out) {
            if (applies.test(p)) {
                String problem = check.problem(variable, value.apply(p));
                if (problem != null) {
                    out.add(problem);
                }
            }
        }
    }

    /** A check of one value: the problem, naming the variable, or null when the value is fine. */
    @FunctionalInterface
    public interface Check {
        String problem(String variable, String value);

        Check REQUIRED = (name, v) -> blank(v) ? name + " is required" : null;

        Check NUMERIC = (name, v) -> blank(v) ? name + " is required"
                : v.trim().matches("\\d+") ? null : name + " must be a numeric Greenhouse user id (got a non-number)";

        /** Optional, but never a template's placeholder. */
        Check OPTIONAL_CREDENTIAL = (name, v) -> !blank(v) && isPlaceholder(v)
                ? name + " is a placeholder value (change-me, secret, example, …); set the real one or leave it empty"
                : null;

        Check HTTPS_UNLESS_LOOPBACK = (name, v) -> url(name, v, true);

        /** The README's form {@code https://platform.example/take/{token}}: checked with the placeholder filled in. */
        Check PLATFORM_URL = (name, v) -> {
            if (blank(v)) {
                return name + " is required";
            }
            if (!v.contains("{token}")) {
                return name + " must contain {token}, where the candidate's token goes "
                        + "(e.g. https://platform.example/take/{token})";
            }
            return url(name, v.replace("{token}", "token"), true);
        };

        /** A vendor-issued credential: required, not a placeholder. */
        static Check credential() {
            return (name, v) -> blank(v) ? name + " is required"
                    : isPlaceholder(v) ? name + " is a placeholder value (change-me, secret, example, …); set the real one"
                    : null;
        }

        /** A secret the operator chooses: required, not a placeholder, at least {@code min} characters. */
        static Check secret(int min, String hint) {
            return (name, v) -> {
                if (blank(v)) {
                    return name + " is required (at least " + min + " characters; " + hint + ")";
                }
                if (isPlaceholder(v)) {
                    return name + " is a placeholder value (change-me, secret, example, …); set a random secret of at "
                            + "least " + min + " characters (" + hint + ")";
                }
                if (v.length() < min) {
                    return name + " is too short: at least " + min + " characters (" + hint + ")";
                }
                return null;
            };
        }
    }

    static boolean assessmentsOn(GreenbridgeProperties p) {
        GreenbridgeProperties.Assessment a = p.assessment();
        return !blank(a.smtp().host()) || !blank(a.platformUrl()) || !blank(a.resultsSecret());
    }

    /** A template's value: a known word, a run of x, one repeated character, {@code <...>} or an unresolved ${...}. */
    static boolean isPlaceholder(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String bare = v.replaceAll("[-_. ]", "");
        return PLACEHOLDERS.contains(bare)
                || bare.contains("changeme") || bare.contains("replaceme") || bare.contains("placeholder")
                || bare.matches("x{3,}") || bare.matches("(.)\\1*")
                || (v.startsWith("<") && v.endsWith(">")) || v.startsWith("${");
    }

    /** An absolute http(s) URL with a host; plain http only to loopback, so local simulators keep working. */
    static String url(String name, String value, boolean httpsUnlessLoopback) {
        if (blank(value)) {
            return name + " is required";
        }
        URI u;
        try {
            u = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            return name + " must be an http(s) URL";
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            return name + " must be an http(s) URL";
        }
        if (httpsUnlessLoopback && scheme.equals("http") && !isLoopback(u.getHost())) {
            return name + " must use https (plain http is accepted only for a loopback host: 127.0.0.0/8, ::1, localhost)";
        }
        return null;
    }

    /** Literal loopback only (no DNS lookup): localhost, 127.0.0.0/8, ::1. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return true;
        }
        if (h.contains(":") && h.matches("[0-9a-f:.]+")) { // an IPv6 literal: parsing it does no lookup
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
