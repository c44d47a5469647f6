package io.greenbridge.assessment;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Field checks of the assessment side, applied before a value reaches the store, an e-mail or an upstream URL.
 * Each returns the problem starting with the field's name, or empty when the value is acceptable.
 */
final class Fields {
    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 254;
    static final int MAX_URL = 2048;
    static final int MAX_ID = 200;
    static final int MAX_COMPANY_NAME = 200;
    static final int MAX_TEST_NAME = 200;
    static final int MAX_INTERVIEW_ID = 64;

    /** Ids as Greenhouse and the admin use them: letters, digits and a few separators, no spaces. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]+");
    /** A plain mailbox address; no quotes, angle brackets, commas or spaces that could add a header or recipient. */
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final Pattern URL_LIKE = Pattern.compile("(?i)://|www\\.|https?:|mailto:");

    private Fields() {
    }

    /** A name pasted into an e-mail: 1–100 characters, one line, no control characters, nothing that links. */
    static Optional<String> personName(String field, String value) {
        if (value.strip().isEmpty() || value.length() > MAX_NAME) {
            return Optional.of(field + " must be 1 to " + MAX_NAME + " characters");
        }
        if (hasControl(value)) {
            return Optional.of(field + " must not contain line breaks or control characters");
        }
        if (URL_LIKE.matcher(value).find() || value.contains("<") || value.contains(">")) {
            return Optional.of(field + " must not contain a URL or markup");
        }
        return Optional.empty();
    }

    static Optional<String> email(String field, String value) {
        if (value.length() > MAX_EMAIL || !EMAIL.matcher(value).matches() || value.indexOf('@') > 64) {
            return Optional.of(field + " is not an email address (at most " + MAX_EMAIL + " characters)");
        }
        return Optional.empty();
    }

    static Optional<String> id(String field, String value, int max) {
        if (value.length() > max) {
            return Optional.of(field + " must be at most " + max + " characters");
        }
        if (!ID.matcher(value).matches()) {
            return Optional.of(field + " may contain only letters, digits and . _ : @ -");
        }
        return Optional.empty();
    }

    /** Free text of one line, bounded. */
    static Optional<String> text(String field, String value, int max) {
        if (value.length() > max) {
            return Optional.of(field + " must be at most " + max + " characters");
        }
        if (hasControl(value)) {
            return Optional.of(field + " must not contain line breaks or control characters");
        }
        return Optional.empty();
    }

    static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                return true;
            }
        }
        return false;
    }
}
