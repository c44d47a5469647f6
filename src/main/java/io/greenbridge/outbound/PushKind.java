package io.greenbridge.outbound;

import java.util.Locale;

/** How a contact new to Greenhouse is created: as the rule says, or (AUTO) a candidate when on a linked vacancy. */
public enum PushKind {
    AUTO, CANDIDATE, PROSPECT;

    /** A rule's {@code push} value (candidate | prospect). */
    public static PushKind of(String value) {
        return value == null || value.isBlank() ? AUTO : valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
