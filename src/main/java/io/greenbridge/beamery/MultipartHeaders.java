package io.greenbridge.beamery;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Values from upstream records (a Greenhouse attachment's filename and content type) made safe for multipart part
 * headers: a CR/LF, quote or control character there would end the header and let the value write its own.
 */
final class MultipartHeaders {
    static final int MAX_FILENAME = 200;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private MultipartHeaders() {
    }

    /** The filename without control characters, quotes, backslashes or path separators, at most 200 characters. */
    static String filename(String name) {
        String cleaned = name == null ? "" : name.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}\"\\\\/;]", "_").strip();
        if (cleaned.isEmpty()) {
            return "attachment";
        }
        if (cleaned.length() <= MAX_FILENAME) {
            return cleaned;
        }
        int dot = cleaned.lastIndexOf('.');
        String ext = dot > 0 && cleaned.length() - dot <= 10 ? cleaned.substring(dot) : "";
        return cleaned.substring(0, MAX_FILENAME - ext.length()) + ext; // keep the extension Beamery shows
    }

    /** {@code type/subtype} when the value is one (parameters dropped), else application/octet-stream. */
    static String contentType(String value) {
        if (value == null) {
            return "application/octet-stream";
        }
        int semicolon = value.indexOf(';');
        String bare = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(bare).matches() ? bare : "application/octet-stream";
    }

    /** A short token (resume, cover_letter…), else {@code fallback}. */
    static String token(String value, String fallback) {
        return value != null && TOKEN.matcher(value).matches() ? value : fallback;
    }
}
