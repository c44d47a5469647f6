package io.greenbridge.assessment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.web.ApiError;

/**
 * Admin API of the assessment tenants (guarded by the admin token like all of {@code /api/**}): companies, their
 * tests, their users and the users' API keys.
 */
@RestController
public class TenantAdminController {
    private final Tenants tenants;
    private final ApiKeys keys;
    private final ObjectMapper json;

    public TenantAdminController(Tenants tenants, ApiKeys keys, ObjectMapper json) {
        this.tenants = tenants;
        this.keys = keys;
        this.json = json;
    }

    /** {@code {"name": "…", "tests": [{"id": "…", "name": "…"}]}} → 201 {@code {"id"}}; no tests: the default ones. */
    @PostMapping(path = "/api/companies", produces = "application/json")
    public ResponseEntity<Object> createCompany(@RequestBody(required = false) String body) {
        Optional<JsonNode> doc = object(body);
        String name = doc.map(d -> d.path("name").asText("")).orElse("");
        if (name.isBlank()) {
            return bad("name is required.");
        }
        Optional<String> badName = Fields.text("name", name, Fields.MAX_COMPANY_NAME);
        if (badName.isPresent()) {
            return bad(badName.get() + ".");
        }
        List<Tenants.TestOffer> tests;
        try {
            tests = tests(doc.get().path("tests"));
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", tenants.createCompany(name, tests)));
    }

    /** {@code {"tests": [{"id","name"}]}} (or the bare array) → 200 with the company's tests now offered. */
    @PutMapping(path = "/api/companies/{id}/tests", produces = "application/json")
    public ResponseEntity<Object> replaceTests(@PathVariable String id, @RequestBody(required = false) String body) {
        if (!tenants.companyExists(id)) {
            return notFound("company", id);
        }
        JsonNode doc = parse(body);
        JsonNode list = doc != null && doc.isObject() ? doc.path("tests") : doc;
        List<Tenants.TestOffer> tests;
        try {
            tests = tests(list);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        if (tests.isEmpty()) {
            return bad("tests must list at least one {\"id\", \"name\"}.");
        }
        tenants.replaceTests(id, tests);
        return ResponseEntity.ok(Map.of("tests", tenants.tests(id)));
    }

    /** {@code {"email": "…", "name": "…"}} → 201 {@code {"id"}}. */
    @PostMapping(path = "/api/companies/{id}/users", produces = "application/json")
    public ResponseEntity<Object> addUser(@PathVariable String id, @RequestBody(required = false) String body) {
        if (!tenants.companyExists(id)) {
            return notFound("company", id);
        }
        Optional<JsonNode> doc = object(body);
        String email = doc.map(d -> d.path("email").asText("")).orElse("");
        if (!email.matches("[^@\\s]+@[^@\\s]+")) {
            return bad("email is required and must be an email address.");
        }
        if (email.length() > Fields.MAX_EMAIL) {
            return bad("email must be at most " + Fields.MAX_EMAIL + " characters.");
        }
        String name = doc.get().path("name").asText(null);
        if (name != null && Fields.text("name", name, Fields.MAX_NAME).isPresent()) {
            return bad(Fields.text("name", name, Fields.MAX_NAME).get() + ".");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", tenants.addUser(id, email, name)));
    }

    /** → 201 {@code {"id", "key"}}: the only time the key is shown. */
    @PostMapping(path = "/api/users/{id}/api-keys", produces = "application/json")
    public ResponseEntity<Object> issueKey(@PathVariable String id) {
        Optional<String> company = tenants.companyOfUser(id);
        if (company.isEmpty()) {
            return notFound("user", id);
        }
        ApiKeys.IssuedKey key = keys.issue(company.get(), id);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", key.id(), "key", key.key()));
    }

    /** → 204; the key stops working at once. */
    @DeleteMapping(path = "/api/api-keys/{id}", produces = "application/json")
    public ResponseEntity<Object> revokeKey(@PathVariable String id) {
        return keys.revoke(id) ? ResponseEntity.noContent().build() : notFound("API key", id);
    }

    private static List<Tenants.TestOffer> tests(JsonNode list) {
        List<Tenants.TestOffer> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        if (list == null || list.isMissingNode() || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("tests must be an array of {\"id\", \"name\"}.");
        }
        for (JsonNode t : list) {
            String id = t.path("id").asText("");
            String name = t.path("name").asText("");
            if (id.isBlank() || name.isBlank()) {
                throw new IllegalArgumentException("tests: every test needs a non-empty id and name.");
            }
            Optional<String> problem = Fields.id("tests[].id", id, Fields.MAX_ID)
                    .or(() -> Fields.text("tests[].name", name, Fields.MAX_TEST_NAME));
            if (problem.isPresent()) {
                throw new IllegalArgumentException(problem.get() + ".");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("tests[].id '" + id + "' is listed twice; test ids must be unique.");
            }
            out.add(new Tenants.TestOffer(id, name));
        }
        if (out.size() > 100) {
            throw new IllegalArgumentException("tests must list at most 100 tests.");
        }
        return out;
    }

    private Optional<JsonNode> object(String body) {
        JsonNode doc = parse(body);
        return doc != null && doc.isObject() ? Optional.of(doc) : Optional.empty();
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** 400 in the error contract; {@code field} names the field the message starts with. */
    private static ResponseEntity<Object> bad(String message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(ApiError.body("invalid_request", message));
        String first = message.split("[ :]", 2)[0];
        if (java.util.Set.of("name", "email", "tests", "tests[].id", "tests[].name").contains(first)) {
            body.put("field", first);
        }
        return ResponseEntity.badRequest().body(body);
    }

    private static ResponseEntity<Object> notFound(String what, String id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.body("not_found", "No " + what + " '" + id + "'."));
    }
}
