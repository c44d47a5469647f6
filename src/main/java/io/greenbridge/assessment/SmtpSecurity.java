package io.greenbridge.assessment;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * How invitation e-mails reach the SMTP server (setting {@code greenbridge.assessment.smtp.security}):
 * {@code starttls} (required: the send fails rather than falling back to clear text), {@code tls} (implicit TLS,
 * smtps) or {@code none}. Empty means starttls, unless the host is loopback (a local relay or the sandbox's server).
 * {@code none} is refused for any host that is not loopback, so the SMTP password and the candidates' links never
 * cross a network in clear.
 */
enum SmtpSecurity {
    STARTTLS, TLS, NONE;

    static SmtpSecurity of(GreenbridgeProperties.Assessment.Smtp smtp) {
        String configured = smtp.security() == null ? "" : smtp.security().trim().toLowerCase(Locale.ROOT);
        boolean loopback = loopback(smtp.host());
        SmtpSecurity mode = switch (configured) {
            case "" -> loopback ? NONE : STARTTLS;
            case "starttls" -> STARTTLS;
            case "tls", "ssl", "smtps" -> TLS;
            case "none" -> NONE;
            default -> throw new IllegalStateException("greenbridge.assessment.smtp.security (SMTP_SECURITY) must be "
                    + "starttls, tls or none, not '" + smtp.security() + "'");
        };
        if (mode == NONE && !loopback) {
            throw new IllegalStateException("greenbridge.assessment.smtp.security (SMTP_SECURITY) is none, but SMTP_HOST "
                    + smtp.host() + " is not loopback: use starttls or tls so credentials and links are not sent in clear");
        }
        return mode;
    }

    /** The Camel mail endpoint for this server and mode. */
    String endpoint(GreenbridgeProperties.Assessment.Smtp smtp) {
        String scheme = this == TLS ? "smtps" : "smtp";
        int port = smtp.port() != null ? smtp.port() : this == TLS ? 465 : this == STARTTLS ? 587 : 25;
        StringBuilder uri = new StringBuilder(scheme).append("://").append(smtp.host()).append(':').append(port)
                .append("?contentType=").append(encode("text/plain; charset=UTF-8"))
                .append("&connectionTimeout=10000");
        if (this == STARTTLS) {
            uri.append("&mail.smtp.starttls.enable=true&mail.smtp.starttls.required=true");
        }
        if (this != NONE && loopback(smtp.host())) {
            // a loopback server (tests, a local relay) may use a self-signed certificate; never a remote one
            uri.append("&mail.").append(scheme).append(".ssl.trust=").append(encode(smtp.host()))
                    .append("&mail.").append(scheme).append(".ssl.checkserveridentity=false");
        } else if (this != NONE) {
            uri.append("&mail.").append(scheme).append(".ssl.checkserveridentity=true");
        }
        if (smtp.username() != null && !smtp.username().isBlank()) {
            uri.append("&username=").append(encode(smtp.username()))
                    .append("&password=RAW(").append(smtp.password() == null ? "" : smtp.password()).append(')');
        }
        return uri.toString();
    }

    static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
