package io.greenbridge.ops;

import java.util.Map;

/** A section of {@code GET /api/status} (unmatched users, held people, assessment errors...). */
public interface StatusContributor {
    String section();

    Map<String, Object> status();
}
