package io.greenbridge.candidate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.greenbridge.web.ApiError;

/** {@code POST /api/held/{greenhouseId}/release}: consent was recorded for a held person; sync them now. */
@RestController
public class HeldPeopleController {
    private final ContactLifecycle lifecycle;

    public HeldPeopleController(ContactLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @PostMapping("/api/held/{greenhouseId}/release")
    public ResponseEntity<Object> release(@PathVariable long greenhouseId) {
        return lifecycle.release(greenhouseId).<ResponseEntity<Object>>map(outcome -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("greenhouseId", String.valueOf(greenhouseId));
            body.put("released", true);
            body.put("outcome", outcome.outcome());
            body.put("contactId", outcome.contactId());
            return ResponseEntity.ok(body);
        }).orElseGet(() -> ResponseEntity.status(404).body(ApiError.body("not_held",
                "Greenhouse candidate " + greenhouseId + " is not held; see \"contacts.held\" in GET /api/status.")));
    }
}
