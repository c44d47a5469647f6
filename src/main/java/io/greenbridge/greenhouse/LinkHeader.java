package io.greenbridge.greenhouse;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 5988 {@code Link} header parsing: the target of {@code rel="next"}, if any. */
public final class LinkHeader {
    /** {@code <uri>} followed by its parameters, up to the next link (commas inside {@code <>} are allowed). */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,=\\s]+\\s*(?:=\\s*(?:\"[^\"]*\"|[^;,]*))?)*)");
    private static final Pattern REL = Pattern.compile("(?i)(?:^|;)\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s,]+))");

    private LinkHeader() {
    }

    /** The next-page URL from every {@code Link} header value, or null when there is none (or it is empty). */
    public static String next(List<String> headerValues) {
        for (String value : headerValues) {
            Matcher link = LINK.matcher(value);
            while (link.find()) {
                Matcher rel = REL.matcher(link.group(2));
                while (rel.find()) {
                    String rels = rel.group(1) != null ? rel.group(1) : rel.group(2);
                    for (String r : rels.trim().split("\\s+")) {
                        if (r.equalsIgnoreCase("next")) {
                            String target = link.group(1).trim();
                            return target.isEmpty() ? null : target;
                        }
                    }
                }
            }
        }
        return null;
    }
}
