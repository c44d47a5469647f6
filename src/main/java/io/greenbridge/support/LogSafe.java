package io.greenbridge.support;

/** Control characters in a logged value written as escapes, so no input can start a forged log line. */
public final class LogSafe {
    private LogSafe() {
    }

    /** A caller-controlled value for a log line: escaped and cut to 200 characters. */
    public static String value(String s) {
        return s == null ? null : escape(s.length() > 200 ? s.substring(0, 200) : s);
    }

    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
