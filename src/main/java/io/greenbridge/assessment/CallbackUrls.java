package io.greenbridge.assessment;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * The allowlist of send_test's callback {@code url} (setting {@code greenbridge.assessment.callback-hosts}), so a
 * company key cannot make Greenbridge call an address of the operator's network. Entries: {@code host} (port 443),
 * {@code host:port}, {@code host:*}, {@code *.domain} (its subdomains, port 443). Only https, except that an entry
 * naming a loopback host (the sandbox's and tests' own Greenhouse) also allows http.
 */
@Component
public class CallbackUrls {
    static final int MAX_LENGTH = 2048;

    private final List<Entry> entries;

    @Autowired // two constructors: Spring needs to be told which one it calls
    public CallbackUrls(GreenbridgeProperties props) {
        this(props.assessment().callbackHosts());
    }

    CallbackUrls(List<String> configured) {
        this.entries = configured == null ? List.of() : configured.stream().map(String::trim)
                .filter(e -> !e.isEmpty()).map(Entry::parse).toList();
    }

    /** Why this url may not be called, or empty when it may. */
    public Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("url is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("url is longer than " + MAX_LENGTH + " characters");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("url is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("url must be an https URL");
        }
        if (u.getRawUserInfo() != null || (u.getRawAuthority() != null && u.getRawAuthority().contains("@"))) {
            return Optional.of("url must not carry credentials (user info)");
        }
        if (u.getHost() == null || u.getRawFragment() != null) {
            return Optional.of("url is not a valid URL");
        }
        int port = u.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : u.getPort();
        if (port < 1 || port > 65535) {
            return Optional.of("url has an invalid port");
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        Optional<Entry> match = entries.stream().filter(e -> e.matches(host, port)).findFirst();
        if (match.isEmpty()) {
            return Optional.of("url: its host is not on greenbridge.assessment.callback-hosts");
        }
        if (scheme.equals("http") && !match.get().loopback()) {
            return Optional.of("url must be an https URL");
        }
        return Optional.empty();
    }

    /** One allowlist entry; {@code port} -1 = any port, 0 = the scheme's default. */
    record Entry(String host, boolean wildcard, int port) {
        static Entry parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            int port = 0;
            int colon = t.lastIndexOf(':');
            if (colon > 0 && !t.endsWith("]") && t.indexOf(':') == colon) {
                String p = t.substring(colon + 1);
                port = p.equals("*") ? -1 : Integer.parseInt(p);
                t = t.substring(0, colon);
            }
            boolean wildcard = t.startsWith("*.");
            return new Entry(wildcard ? t.substring(1) : t, wildcard, port);
        }

        boolean matches(String h, int p) {
            boolean hostOk = wildcard ? h.endsWith(host) && h.length() > host.length() : h.equals(host);
            boolean portOk = port == -1 || (port == 0 ? p == 443 || (loopback() && p == 80) : p == port);
            return hostOk && portOk;
        }

        boolean loopback() {
            return !wildcard && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
        }
    }
}
