package io.greenbridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.greenbridge.beamery.BeameryValues;

/**
 * A stateful Beamery on loopback implementing the contract of beamery.md §14 (plus auth §2, rate limits §3 and
 * paging §4): contacts, merge, anonymize, contact vacancies, notes, attachments, vacancies, users, sources,
 * departments and global tags. Tests seed and inspect it through the Java API, inject faults, and read the
 * request log. Records are guarded by this object's monitor; traffic and faults live in {@link BeameryTraffic}.
 */
public final class BeamerySimulator implements AutoCloseable {
    /** Fields an anonymized contact keeps (beamery.md §10, as our contract narrows it). */
    public static final Set<String> RETAINED_FIELDS = Set.of("id", "firstName", "lastName", "emails", "primaryEmail",
            "links", "integrations", "archivedAt", "updatedAt", "createdAt", "assignedTo", "creationSource",
            "mergedWith", "mergedIn", "version");
    private static final Set<String> CONTACT_SYSTEM_FIELDS = Set.of("id", "createdAt", "updatedAt", "version",
            "mergedWith", "mergedIn", "archivedAt", "fullName");
    private static final Set<String> VACANCY_SYSTEM_FIELDS = Set.of("id", "companyId", "createdAt", "updatedAt");
    private static final Set<String> VACANCY_STATUSES = Set.of("open", "closed", "hold", "cancelled", "draft");
    private static final Set<String> ATTACHMENT_TYPES = Set.of("resume", "cover_letter", "other");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the simulator saw it. */
    public record LoggedRequest(String method, String path, String query, int status) {
    }

    private record Reply(int status, byte[] body, String contentType) {
    }

    private record Attachment(ObjectNode meta, byte[] bytes) {
    }

    /** A Beamery error answer: {@code {code, message, errors}}. */
    private static final class Refusal extends RuntimeException {
        final int status;
        final ArrayNode errors;

        Refusal(int status, String message, String... fieldIssues) {
            super(message);
            this.status = status;
            this.errors = JSON.createArrayNode();
            for (int i = 0; i + 1 < fieldIssues.length; i += 2) {
                errors.addObject().put("field", fieldIssues[i]).put("issue", fieldIssues[i + 1]);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile boolean legacyEnvelope;
    private volatile String apiUser; // "username:password" when API-user auth is on, else null

    private final BeameryTraffic traffic = new BeameryTraffic();

    private final Map<String, ObjectNode> contacts = new LinkedHashMap<>();
    // the email search without a scan of every contact (large backfills): lower-cased email -> contact ids that
    // had it; only ever added to, so each hit is checked again against the contact as it is now
    private final Map<String, Set<String>> contactsByEmail = new HashMap<>();
    private final Map<String, Integer> contactOrder = new HashMap<>();
    private final Set<String> anonymized = new HashSet<>();
    private final Map<String, ObjectNode> vacancies = new LinkedHashMap<>();
    private final Map<String, ObjectNode> notes = new LinkedHashMap<>();
    private final Map<String, Attachment> attachments = new LinkedHashMap<>();
    private final Map<String, ObjectNode> users = new LinkedHashMap<>();
    private final Map<String, ObjectNode> sources = new LinkedHashMap<>();
    private final Map<String, ObjectNode> departments = new LinkedHashMap<>();
    private final Map<String, ObjectNode> globalTags = new LinkedHashMap<>();
    private Instant lastStamp = Instant.EPOCH;

    /** Starts with the credentials of application-test.yaml ({@code bm-client}/{@code bm-secret}). */
    public BeamerySimulator() {
        this("bm-client", "bm-secret");
    }

    public BeamerySimulator(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "beamery-sim");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The API base, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- settings and fault injection ----------------------------------------------------------------------

    /** Requests per rolling second before Beamery answers 429 (default 40). */
    public void rateLimit(int perSecond) {
        traffic.rateLimit(perSecond);
    }

    /** Lists answer {@code {"contacts":[...],"total_count":N,"last_batch":n}} instead of the documented envelope. */
    public void useLegacyEnvelope(boolean legacy) {
        legacyEnvelope = legacy;
    }

    /**
     * Switches to API-user credentials: {@code GET /v1/auth} with Basic {@code username:password} answers
     * {@code {"token": ...}} and {@code POST /oauth/token} is refused; null switches back to client credentials
     * (then {@code GET /v1/auth} is refused).
     */
    public void useApiUserAuth(String username, String password) {
        apiUser = username == null ? null : username + ":" + password;
    }

    /** {@code expires_in} of tokens issued from now on. */
    public void tokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    /** Every token issued so far stops working (the next call gets 401). */
    public void expireTokens() {
        tokens.clear();
    }

    /** The next {@code times} requests whose path (after /v1) starts with {@code pathPrefix} answer {@code status}. */
    public void failNext(String pathPrefix, int status, int times) {
        traffic.failNext(pathPrefix, status, times);
    }

    /** The next {@code times} API requests answer 429 with {@code x-ratelimit-remaining: 0}. */
    public void rateLimitNext(int times) {
        traffic.rateLimitNext(times);
    }

    /** Every request answers {@code status} for the next {@code duration} (an outage). */
    public void failFor(Duration duration, int status) {
        traffic.failFor(duration, status);
    }

    // ---- request log ---------------------------------------------------------------------------------------

    public List<LoggedRequest> requests() {
        return traffic.requests();
    }

    /** Requests matching {@code "GET /contacts"} (method and path prefix) or just a path prefix {@code "/contact"}. */
    public long requestCount(String methodAndPathPrefix) {
        return traffic.requestCount(methodAndPathPrefix);
    }

    /** The most API requests (token requests excluded) that arrived within any rolling second. */
    public int maxRequestsInAnyWindow() {
        return traffic.maxRequestsInAnyWindow();
    }

    public void clearRequestLog() {
        traffic.clear();
    }

    // ---- Java API: seed and inspect ------------------------------------------------------------------------

    public synchronized String addUser(String email, String firstName, String lastName, String role) {
        String id = "usr-" + shortId();
        users.put(id, JSON.createObjectNode().put("id", id).put("email", email).put("firstName", firstName)
                .put("lastName", lastName).put("role", role));
        return id;
    }

    public synchronized List<ObjectNode> users() {
        return copies(users.values().stream());
    }

    /** Creates a contact as a recruiter would in Beamery; returns its id. */
    public synchronized String createContact(ObjectNode fields) {
        return createContactRecord(fields, "ui").path("id").asText();
    }

    public synchronized List<ObjectNode> contacts() {
        return copies(contacts.values().stream());
    }

    public synchronized Optional<ObjectNode> contact(String id) {
        return Optional.ofNullable(contacts.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized boolean isAnonymized(String contactId) {
        return anonymized.contains(contactId);
    }

    /** A recruiter's edit in Beamery: {@code edit} changes the stored contact, then updatedAt and version move. */
    public synchronized void editContact(String id, Consumer<ObjectNode> edit) {
        ObjectNode contact = writableContact(id);
        edit.accept(contact);
        fullName(contact);
        touch(contact);
        indexEmails(contact);
    }

    public synchronized void addContactToVacancy(String contactId, String vacancyId, String stageId) {
        putContactVacancy(contactId, vacancyId, JSON.createObjectNode().put("stageId", stageId).putNull("rejectionReason"));
    }

    public synchronized String addNote(String contactId, String authorId, String content, boolean isPrivate) {
        ObjectNode note = JSON.createObjectNode().put("content", content).put("private", isPrivate).put("authorId", authorId);
        return createNote(contactId, note).path("id").asText();
    }

    /** A merge done in Beamery's UI. */
    public synchronized void merge(String primaryId, String secondaryId) {
        mergeContacts(primaryId, secondaryId);
    }

    /** An anonymization done in Beamery (a GDPR request or a Recipe). */
    public synchronized void anonymize(String contactId) {
        anonymizeContact(contactId);
    }

    public synchronized String createVacancy(ObjectNode fields) {
        return createVacancyRecord(fields).path("id").asText();
    }

    public synchronized List<ObjectNode> vacancies() {
        return copies(vacancies.values().stream());
    }

    public synchronized Optional<ObjectNode> vacancy(String id) {
        return Optional.ofNullable(vacancies.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized List<ObjectNode> notes() {
        return copies(notes.values().stream());
    }

    public synchronized List<ObjectNode> notesOf(String contactId) {
        return copies(notes.values().stream().filter(n -> contactId.equals(n.path("contactId").asText())));
    }

    /** Attachment metadata as the API answers it. */
    public synchronized List<ObjectNode> attachments() {
        return copies(attachments.values().stream().map(Attachment::meta));
    }

    public synchronized byte[] attachmentBytes(String attachmentId) {
        Attachment a = attachments.get(attachmentId);
        return a == null ? null : a.bytes().clone();
    }

    public synchronized List<ObjectNode> sources() {
        return copies(sources.values().stream());
    }

    public synchronized List<ObjectNode> departments() {
        return copies(departments.values().stream());
    }

    public synchronized List<ObjectNode> globalTags() {
        return copies(globalTags.values().stream());
    }

    public synchronized String addGlobalTag(String value) {
        return createNamed(globalTags, "tag-", "value", JSON.createObjectNode().put("value", value)).path("id").asText();
    }

    /** Demo data for {@code make run}: three users, two global tags and contacts without Greenhouse ids. */
    public synchronized void seedDemo() {
        String admin = addUser("admin@greenbridge.example", "Ada", "Admin", "admin");
        addUser("recruiter@greenbridge.example", "Riley", "Recruiter", "recruiter");
        addUser("sourcer@greenbridge.example", "Sam", "Sourcer", "sourcer");
        addGlobalTag("Silver medallist");
        addGlobalTag("Referral");
        String[][] people = {
            {"Grace", "Hopper", "grace.hopper@example.com"},
            {"Alan", "Turing", "alan.turing@example.com"},
            {"Katherine", "Johnson", "katherine.johnson@example.com"},
        };
        for (String[] p : people) {
            ObjectNode c = JSON.createObjectNode().put("firstName", p[0]).put("lastName", p[1]).put("primaryEmail", p[2])
                    .put("assignedTo", admin);
            c.putArray("emails").add(p[2]);
            c.putArray("links").add("https://www.linkedin.com/in/" + p[0].toLowerCase(Locale.ROOT) + "-" + p[1].toLowerCase(Locale.ROOT));
            createContact(c);
        }
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try (ex) {
            String method = ex.getRequestMethod();
            String rawPath = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = rawPath.startsWith("/v1/") ? rawPath.substring(3) : rawPath;
            boolean tokenRequest = path.equals("/oauth/token") || path.equals("/auth");
            BeameryTraffic.Arrival arrival = traffic.arrive(path, tokenRequest);
            Reply reply = arrival.faultStatus() != 0 ? error(arrival.faultStatus(), arrival.faultMessage())
                    : answer(ex, method, rawPath, path, query, body, tokenRequest);
            traffic.record(new LoggedRequest(method, path, query, reply.status()));
            ex.getResponseHeaders().set("x-ratelimit-limit", arrival.limit() + ";w=1");
            ex.getResponseHeaders().set("x-ratelimit-remaining", String.valueOf(arrival.remaining()));
            ex.getResponseHeaders().set("x-ratelimit-reset", "1");
            if (reply.contentType() != null) {
                ex.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            boolean empty = reply.body().length == 0;
            ex.sendResponseHeaders(reply.status(), empty ? -1 : reply.body().length);
            if (!empty) {
                ex.getResponseBody().write(reply.body());
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private Reply answer(HttpExchange ex, String method, String rawPath, String path, String query, byte[] body,
            boolean tokenRequest) {
        try {
            if (!rawPath.startsWith("/v1/")) {
                throw new Refusal(404, "Unknown path " + rawPath);
            }
            if (tokenRequest) {
                return path.equals("/auth") ? issueApiUserToken(method, ex.getRequestHeaders().getFirst("Authorization"))
                        : issueToken(method, body);
            }
            if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                throw new Refusal(401, "Missing, invalid or expired access token");
            }
            String[] segments = Stream.of(path.substring(1).split("/"))
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toArray(String[]::new);
            Map<String, String> params = params(query);
            return route(method, segments, params, body, ex.getRequestHeaders().getFirst("Content-Type"));
        } catch (Refusal r) {
            ObjectNode error = JSON.createObjectNode().put("code", r.status).put("message", r.getMessage());
            if (!r.errors.isEmpty()) {
                error.set("errors", r.errors);
            }
            return json(r.status, error);
        } catch (RuntimeException e) {
            return json(500, JSON.createObjectNode().put("code", 500).put("message", String.valueOf(e)));
        }
    }

    private Reply route(String method, String[] s, Map<String, String> q, byte[] body, String contentType) {
        String resource = s[0];
        int n = s.length;
        return switch (method + " " + resource + "/" + n) {
            case "POST contact/1" -> json(201, createContactRecord(object(body), "api"));
            case "GET contact/2" -> json(200, contactOr404(s[1]));
            case "PATCH contact/2" -> json(200, patchContact(s[1], object(body)));
            case "POST contact/3" -> switch (s[2]) {
                case "merge" -> json(200, mergeContacts(s[1], text(object(body), "mergeContactId")));
                case "anonymize" -> json(200, anonymizeContact(s[1]));
                case "global-tags" -> json(200, tagContact(s[1], object(body)));
                case "note" -> json(201, createNote(s[1], object(body)));
                case "attachment" -> json(201, createAttachment(s[1], contentType, body));
                default -> throw notFound(s);
            };
            case "PUT contact/4" -> {
                if (!s[2].equals("vacancies")) {
                    throw notFound(s);
                }
                yield json(200, putContactVacancy(s[1], s[3], object(body)));
            }
            case "DELETE contact/4" -> {
                if (!s[2].equals("global-tags")) {
                    throw notFound(s);
                }
                untagContact(s[1], s[3]);
                yield new Reply(204, new byte[0], null);
            }
            case "GET contacts/1" -> json(200, listContacts(q));
            case "GET notes/1" -> json(200, listNotes(q));
            case "GET note/2" -> json(200, found(notes, s[1], "Note"));
            case "GET attachments/1" -> json(200, listAttachments(q));
            case "GET attachment/2" -> json(200, attachmentOr404(s[1]).meta());
            case "GET attachment/3" -> {
                if (!s[2].equals("content")) {
                    throw notFound(s);
                }
                Attachment a = attachmentOr404(s[1]);
                yield new Reply(200, a.bytes(), a.meta().path("contentType").asText());
            }
            case "POST vacancy/1" -> json(201, createVacancyRecord(object(body)));
            case "GET vacancy/2" -> json(200, found(vacancies, s[1], "Vacancy"));
            case "PATCH vacancy/2" -> json(200, patchVacancy(s[1], object(body)));
            case "GET vacancies/1" -> json(200, listVacancies(q));
            case "GET users/1" -> json(200, page("users", list(users), q));
            case "GET sources/1" -> json(200, page("sources", list(sources), q));
            case "POST source/1" -> json(201, createNamed(sources, "src-", "name", object(body)));
            case "GET departments/1" -> json(200, page("departments", list(departments), q));
            case "POST department/1" -> json(201, createNamed(departments, "dep-", "name", object(body)));
            case "GET global-tags/1" -> json(200, page("globalTags", list(globalTags), q));
            case "POST global-tag/1" -> json(201, createNamed(globalTags, "tag-", "value", object(body)));
            default -> throw notFound(s);
        };
    }

    private static Refusal notFound(String[] s) {
        return new Refusal(404, "No such endpoint /" + String.join("/", s));
    }

    // ---- auth ----------------------------------------------------------------------------------

    private Reply issueApiUserToken(String method, String authorization) {
        if (!method.equals("GET")) {
            throw new Refusal(405, "Use GET");
        }
        String expected = apiUser;
        if (expected == null) {
            throw new Refusal(401, "API-user credentials are not enabled for this tenant");
        }
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(expected.getBytes(StandardCharsets.UTF_8));
        if (authorization == null || !same(authorization, basic)) {
            throw new Refusal(401, "Invalid username or password");
        }
        String token = "bm-" + UUID.randomUUID();
        tokens.put(token, Instant.now().plus(tokenLifetime));
        return json(200, JSON.createObjectNode().put("token", token));
    }

    private Reply issueToken(String method, byte[] body) {
        if (!method.equals("POST")) {
            throw new Refusal(405, "Use POST");
        }
        if (apiUser != null) {
            throw new Refusal(401, "Client credentials are not enabled for this tenant; use GET /auth");
        }
        JsonNode credentials = object(body);
        if (!same(credentials.path("clientId").asText(""), clientId)
                || !same(credentials.path("clientSecret").asText(""), clientSecret)) {
            throw new Refusal(401, "Invalid client credentials");
        }
        String token = "bm-" + UUID.randomUUID();
        Duration lifetime = tokenLifetime;
        tokens.put(token, Instant.now().plus(lifetime));
        return json(200, JSON.createObjectNode().put("access_token", token).put("token_type", "Bearer")
                .put("expires_in", lifetime.toSeconds()));
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        Instant expiry = tokens.get(header.substring(7).trim());
        return expiry != null && Instant.now().isBefore(expiry);
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ---- contacts ------------------------------------------------------------------------------------------

    private synchronized ObjectNode createContactRecord(JsonNode body, String creationSource) {
        List<String> emails = BeameryValues.strings(body.path("emails"));
        String primary = body.path("primaryEmail").asText("").trim();
        if (primary.isEmpty() && emails.isEmpty()) {
            throw new Refusal(400, "primaryEmail or emails is required", "primaryEmail", "required", "emails", "required");
        }
        ObjectNode contact = JSON.createObjectNode().put("id", UUID.randomUUID().toString());
        body.fields().forEachRemaining(e -> {
            if (!CONTACT_SYSTEM_FIELDS.contains(e.getKey())) {
                contact.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        if (primary.isEmpty()) {
            contact.put("primaryEmail", emails.get(0));
        } else if (emails.stream().noneMatch(primary::equalsIgnoreCase)) {
            // Beamery lists the primary email among the emails
            (contact.get("emails") instanceof ArrayNode a ? a : contact.putArray("emails")).add(primary);
        }
        if (!contact.has("vacancies")) {
            contact.putArray("vacancies");
        }
        if (!contact.has("creationSource")) {
            contact.put("creationSource", creationSource);
        }
        String now = stamp();
        contact.put("createdAt", now).put("updatedAt", now).put("version", 1);
        fullName(contact);
        contacts.put(contact.get("id").asText(), contact);
        contactOrder.put(contact.get("id").asText(), contactOrder.size());
        indexEmails(contact);
        return contact.deepCopy();
    }

    private synchronized ObjectNode patchContact(String id, JsonNode changes) {
        ObjectNode contact = writableContact(id);
        mergeInto(contact, changes, CONTACT_SYSTEM_FIELDS);
        fullName(contact);
        touch(contact);
        indexEmails(contact);
        return contact.deepCopy();
    }

    private synchronized ObjectNode listContacts(Map<String, String> q) {
        Stream<ObjectNode> matches = contacts.values().stream();
        if (q.containsKey("email")) {
            String email = q.get("email").trim();
            matches = contactsByEmail.getOrDefault(email.toLowerCase(Locale.ROOT), Set.of()).stream()
                    .sorted(Comparator.comparing(contactOrder::get)).map(contacts::get)
                    .filter(c -> emailsOf(c).stream().anyMatch(email::equalsIgnoreCase));
        }
        if (q.containsKey("integration") || q.containsKey("integrationId")) {
            String system = q.getOrDefault("integration", "greenhouse");
            String externalId = q.getOrDefault("integrationId", "");
            matches = matches.filter(c -> externalId.equals(c.path("integrations").path(system).path("id").asText()));
        }
        return page("contacts", sorted(timeFiltered(matches, q), q), q);
    }

    private synchronized ObjectNode mergeContacts(String primaryId, String secondaryId) {
        if (primaryId.equals(secondaryId)) {
            throw new Refusal(400, "A contact cannot be merged into itself", "mergeContactId", "invalid");
        }
        ObjectNode primary = writableContact(primaryId);
        ObjectNode secondary = writableContact(secondaryId);
        if (secondary.hasNonNull("mergedIn")) {
            throw new Refusal(409, "Contact " + secondaryId + " was already merged into " + secondary.get("mergedIn").asText());
        }
        secondary.put("mergedIn", primaryId);
        (primary.get("mergedWith") instanceof ArrayNode a ? a : primary.putArray("mergedWith")).add(secondaryId);
        ArrayNode primaryVacancies = primary.withArray("vacancies");
        for (JsonNode link : secondary.withArray("vacancies")) {
            if (indexOfId(primaryVacancies, link.path("id").asText()) < 0) {
                primaryVacancies.add(link);
            }
        }
        secondary.putArray("vacancies");
        notes.values().stream().filter(n -> secondaryId.equals(n.path("contactId").asText()))
                .forEach(n -> n.put("contactId", primaryId));
        attachments.values().stream().map(Attachment::meta).filter(m -> secondaryId.equals(m.path("contactId").asText()))
                .forEach(m -> m.put("contactId", primaryId));
        touch(secondary);
        touch(primary);
        return primary.deepCopy();
    }

    private synchronized ObjectNode anonymizeContact(String id) {
        ObjectNode contact = contactRecord(id);
        if (!anonymized.contains(id)) {
            ObjectNode kept = JSON.createObjectNode();
            contact.fields().forEachRemaining(e -> {
                if (RETAINED_FIELDS.contains(e.getKey())) {
                    kept.set(e.getKey(), e.getValue());
                }
            });
            kept.put("archivedAt", stamp());
            touch(kept);
            contacts.put(id, kept);
            indexEmails(kept);
            anonymized.add(id);
            // a hashed contact's timeline and files are removed with the rest of its data
            notes.values().removeIf(n -> id.equals(n.path("contactId").asText()));
            attachments.values().removeIf(a -> id.equals(a.meta().path("contactId").asText()));
        }
        return JSON.createObjectNode().put("id", id).put("anonymized", true)
                .put("archivedAt", contacts.get(id).path("archivedAt").asText());
    }

    private synchronized ObjectNode putContactVacancy(String contactId, String vacancyId, JsonNode body) {
        ObjectNode contact = writableContact(contactId);
        ObjectNode vacancy = record(vacancies, vacancyId, "Vacancy");
        JsonNode stage = JSON.nullNode();
        if (body.hasNonNull("stageId")) {
            String stageId = body.get("stageId").asText();
            JsonNode known = null;
            for (JsonNode st : vacancy.path("stages")) {
                if (stageId.equals(st.path("id").asText())) {
                    known = st;
                }
            }
            if (known == null) {
                throw new Refusal(422, "Vacancy " + vacancyId + " has no stage " + stageId, "stageId", "unknown");
            }
            stage = JSON.createObjectNode().put("id", stageId).put("value", known.path("name").asText());
        }
        ObjectNode link = JSON.createObjectNode().put("id", vacancyId).put("value", vacancy.path("title").asText());
        link.set("stage", stage);
        link.set("rejectionReason", body.path("rejectionReason").isTextual() ? body.get("rejectionReason") : JSON.nullNode());
        ArrayNode links = contact.withArray("vacancies");
        int at = indexOfId(links, vacancyId);
        if (at < 0) {
            links.add(link);
        } else {
            links.set(at, link);
        }
        touch(contact);
        ObjectNode answer = JSON.createObjectNode().put("vacancyId", vacancyId);
        answer.set("stage", stage.deepCopy());
        answer.set("rejectionReason", link.get("rejectionReason"));
        return answer.put("updatedAt", contact.path("updatedAt").asText());
    }

    private synchronized ObjectNode tagContact(String contactId, JsonNode body) {
        ObjectNode contact = writableContact(contactId);
        if (!body.path("ids").isArray()) {
            throw new Refusal(400, "ids must be an array of global tag ids", "ids", "required");
        }
        ArrayNode tags = contact.withArray("globalTags");
        for (JsonNode id : body.get("ids")) {
            ObjectNode tag = globalTags.get(id.asText());
            if (tag == null) {
                throw new Refusal(422, "Unknown global tag " + id.asText(), "ids", "unknown");
            }
            if (indexOfId(tags, id.asText()) < 0) {
                tags.add(tag.deepCopy());
            }
        }
        touch(contact);
        return contact.deepCopy();
    }

    private synchronized void untagContact(String contactId, String tagId) {
        ObjectNode contact = writableContact(contactId);
        ArrayNode tags = contact.withArray("globalTags");
        int at = indexOfId(tags, tagId);
        if (at < 0) {
            throw new Refusal(404, "Contact " + contactId + " has no global tag " + tagId);
        }
        tags.remove(at);
        touch(contact);
    }

    // ---- notes and attachments -----------------------------------------------------------------------------

    private synchronized ObjectNode createNote(String contactId, JsonNode body) {
        writableContact(contactId);
        if (body.path("content").asText("").isBlank()) {
            throw new Refusal(400, "content is required", "content", "required");
        }
        String id = "note-" + shortId();
        ObjectNode note = JSON.createObjectNode().put("id", id).put("contactId", contactId)
                .put("content", body.get("content").asText()).put("private", body.path("private").asBoolean(false));
        note.set("authorId", body.path("authorId").isTextual() ? body.get("authorId") : JSON.nullNode());
        note.put("createdAt", body.path("createdAt").isTextual() ? instant(body.get("createdAt").asText(), "createdAt").toString() : stamp());
        if (body.path("externalId").isTextual()) {
            note.put("externalId", body.get("externalId").asText());
        }
        notes.put(id, note);
        return note.deepCopy();
    }

    private synchronized ObjectNode listNotes(Map<String, String> q) {
        Stream<ObjectNode> matches = notes.values().stream();
        if (q.containsKey("contactId")) {
            matches = matches.filter(n -> q.get("contactId").equals(n.path("contactId").asText()));
        }
        if (q.containsKey("after")) {
            Instant after = instant(q.get("after"), "after");
            matches = matches.filter(n -> !Instant.parse(n.path("createdAt").asText()).isBefore(after));
        }
        if (q.containsKey("before")) {
            Instant before = instant(q.get("before"), "before");
            matches = matches.filter(n -> Instant.parse(n.path("createdAt").asText()).isBefore(before));
        }
        return page("notes", matches.sorted(Comparator.comparing(n -> Instant.parse(n.path("createdAt").asText()))).toList(), q);
    }

    private synchronized ObjectNode createAttachment(String contactId, String contentType, byte[] body) {
        writableContact(contactId);
        Map<String, MultipartForm.Part> form = MultipartForm.parse(contentType, body)
                .orElseThrow(() -> new Refusal(400, "Expected multipart/form-data"));
        MultipartForm.Part file = form.get("file");
        if (file == null) {
            throw new Refusal(400, "The file part is required", "file", "required");
        }
        String type = form.containsKey("type") ? form.get("type").text().trim() : "other";
        if (!ATTACHMENT_TYPES.contains(type)) {
            throw new Refusal(400, "type must be resume, cover_letter or other", "type", "invalid");
        }
        String filename = form.containsKey("filename") ? form.get("filename").text() : file.filename();
        String id = "att-" + shortId();
        ObjectNode meta = JSON.createObjectNode().put("id", id).put("contactId", contactId).put("filename", filename)
                .put("contentType", file.contentType() == null ? "application/octet-stream" : file.contentType())
                .put("size", file.bytes().length).put("type", type)
                .put("url", baseUrl() + "/attachment/" + id + "/content").put("createdAt", stamp());
        attachments.put(id, new Attachment(meta, file.bytes()));
        return meta.deepCopy();
    }

    private synchronized ObjectNode listAttachments(Map<String, String> q) {
        Stream<ObjectNode> matches = attachments.values().stream().map(Attachment::meta);
        if (q.containsKey("contactId")) {
            matches = matches.filter(m -> q.get("contactId").equals(m.path("contactId").asText()));
        }
        return page("attachments", matches.toList(), q);
    }

    private synchronized Attachment attachmentOr404(String id) {
        Attachment a = attachments.get(id);
        if (a == null) {
            throw new Refusal(404, "Attachment with id " + id + " not found");
        }
        return a;
    }

    // ---- vacancies and reference data ----------------------------------------------------------------------

    private synchronized ObjectNode createVacancyRecord(JsonNode body) {
        if (body.path("title").asText("").isBlank()) {
            throw new Refusal(400, "title is required", "title", "required");
        }
        checkVacancyStatus(body);
        ObjectNode vacancy = JSON.createObjectNode().put("id", "vac-" + shortId()).put("companyId", "gb-sandbox");
        mergeInto(vacancy, body, VACANCY_SYSTEM_FIELDS);
        if (!vacancy.has("status")) {
            vacancy.put("status", "open");
        }
        String now = stamp();
        vacancy.put("createdAt", now).put("updatedAt", now);
        vacancies.put(vacancy.get("id").asText(), vacancy);
        return vacancy.deepCopy();
    }

    private synchronized ObjectNode patchVacancy(String id, JsonNode changes) {
        ObjectNode vacancy = record(vacancies, id, "Vacancy");
        if (changes.has("title") && changes.path("title").asText("").isBlank()) {
            throw new Refusal(400, "title cannot be blank", "title", "required");
        }
        checkVacancyStatus(changes);
        mergeInto(vacancy, changes, VACANCY_SYSTEM_FIELDS);
        vacancy.put("updatedAt", stamp());
        return vacancy.deepCopy();
    }

    private synchronized ObjectNode listVacancies(Map<String, String> q) {
        Stream<ObjectNode> matches = vacancies.values().stream();
        if (q.containsKey("integration") || q.containsKey("integrationId")) {
            // assumed filter, as for contacts
            String system = q.getOrDefault("integration", "greenhouse");
            String externalId = q.getOrDefault("integrationId", "");
            matches = matches.filter(v -> externalId.equals(v.path("integrations").path(system).path("id").asText()));
        }
        if (q.containsKey("requisitionId")) {
            String requisition = q.get("requisitionId");
            matches = matches.filter(v -> requisition.equals(v.path("requisitionId").asText()));
        }
        return page("vacancies", sorted(timeFiltered(matches, q), q), q);
    }

    private static void checkVacancyStatus(JsonNode body) {
        if (body.has("status") && !VACANCY_STATUSES.contains(body.path("status").asText())) {
            throw new Refusal(400, "status must be one of " + VACANCY_STATUSES, "status", "invalid");
        }
    }

    /** Sources, departments and global tags: a unique label ({@code name} or {@code value}) plus an optional externalId. */
    private synchronized ObjectNode createNamed(Map<String, ObjectNode> store, String idPrefix, String labelField, JsonNode body) {
        String label = body.path(labelField).asText("").trim();
        if (label.isEmpty()) {
            throw new Refusal(400, labelField + " is required", labelField, "required");
        }
        boolean taken = store.values().stream().anyMatch(r -> label.equalsIgnoreCase(r.path(labelField).asText()));
        if (taken) {
            throw new Refusal(409, "A record with " + labelField + " '" + label + "' already exists", labelField, "duplicate");
        }
        String id = idPrefix + shortId();
        ObjectNode created = JSON.createObjectNode().put("id", id).put(labelField, label);
        if (body.path("externalId").isValueNode() && !body.path("externalId").isNull()) {
            created.put("externalId", body.get("externalId").asText());
        }
        store.put(id, created);
        return created.deepCopy();
    }

    // ---- shared record handling ----------------------------------------------------------------------------

    private synchronized ObjectNode contactOr404(String id) {
        return contactRecord(id).deepCopy();
    }

    private ObjectNode contactRecord(String id) {
        return record(contacts, id, "Contact");
    }

    /** A contact that may still change: anonymized contacts refuse every write. */
    private ObjectNode writableContact(String id) {
        ObjectNode contact = contactRecord(id);
        if (anonymized.contains(id)) {
            throw new Refusal(409, "Contact " + id + " is anonymized and cannot be changed");
        }
        return contact;
    }

    private static ObjectNode record(Map<String, ObjectNode> store, String id, String kind) {
        ObjectNode found = store.get(id);
        if (found == null) {
            throw new Refusal(404, kind + " with id " + id + " not found");
        }
        return found;
    }

    private synchronized ObjectNode found(Map<String, ObjectNode> store, String id, String kind) {
        return record(store, id, kind).deepCopy();
    }

    private synchronized List<ObjectNode> list(Map<String, ObjectNode> store) {
        return List.copyOf(store.values());
    }

    /** PATCH semantics: objects merge field by field, arrays and values replace, omitted fields stay. */
    private static void mergeInto(ObjectNode target, JsonNode changes, Set<String> readOnly) {
        changes.fields().forEachRemaining(e -> {
            if (readOnly.contains(e.getKey())) {
                return;
            }
            JsonNode current = target.get(e.getKey());
            if (e.getValue().isObject() && current instanceof ObjectNode currentObject) {
                mergeInto(currentObject, e.getValue(), Set.of());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    private void touch(ObjectNode record) {
        record.put("updatedAt", stamp()).put("version", record.path("version").asInt(0) + 1);
    }

    private static void fullName(ObjectNode contact) {
        String full = (contact.path("firstName").asText("") + " " + contact.path("lastName").asText("")).trim();
        if (!full.isEmpty()) {
            contact.put("fullName", full);
        }
    }

    private void indexEmails(JsonNode contact) {
        String id = contact.path("id").asText();
        for (String email : emailsOf(contact)) {
            contactsByEmail.computeIfAbsent(email.toLowerCase(Locale.ROOT), k -> new HashSet<>()).add(id);
        }
    }

    private static List<String> emailsOf(JsonNode contact) {
        List<String> all = BeameryValues.strings(contact.path("emails"));
        all.addAll(BeameryValues.strings(contact.path("primaryEmail")));
        return all;
    }

    private static int indexOfId(ArrayNode items, String id) {
        for (int i = 0; i < items.size(); i++) {
            if (id.equals(items.get(i).path("id").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** Timestamps strictly increase, so cursors on updatedAt never see two changes at the same instant. */
    private synchronized String stamp() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
        return lastStamp.toString();
    }

    private static Stream<ObjectNode> timeFiltered(Stream<ObjectNode> records, Map<String, String> q) {
        return records.filter(timeFilter(q, "updated_at", "updatedAt")).filter(timeFilter(q, "created_at", "createdAt"));
    }

    private static Predicate<ObjectNode> timeFilter(Map<String, String> q, String param, String field) {
        if (!q.containsKey(param)) {
            return r -> true;
        }
        Instant bound = instant(q.get(param), param);
        String op = q.getOrDefault(param + "_op", "gte");
        return switch (op) {
            case "gte" -> r -> !Instant.parse(r.path(field).asText()).isBefore(bound);
            case "lte" -> r -> !Instant.parse(r.path(field).asText()).isAfter(bound);
            default -> throw new Refusal(400, param + "_op must be gte or lte", param + "_op", "invalid");
        };
    }

    private static List<ObjectNode> sorted(Stream<ObjectNode> records, Map<String, String> q) {
        String field = q.get("sort_field");
        if (field == null) {
            return records.toList();
        }
        if (!field.equals("updatedAt") && !field.equals("createdAt")) {
            throw new Refusal(400, "sort_field must be updatedAt or createdAt", "sort_field", "invalid");
        }
        Comparator<ObjectNode> order = Comparator.comparing(r -> Instant.parse(r.path(field).asText()));
        return records.sorted("desc".equalsIgnoreCase(q.get("sort_order")) ? order.reversed() : order).toList();
    }

    /** One page of {@code records} in the documented envelope, or the legacy one when switched on. */
    private synchronized ObjectNode page(String key, List<ObjectNode> records, Map<String, String> q) {
        int limit = Math.min(MAX_LIMIT, number(q, "limit", DEFAULT_LIMIT));
        int offset = number(q, "offset", 0);
        if (limit < 1 || offset < 0) {
            throw new Refusal(400, "limit must be positive and offset not negative", "limit", "invalid");
        }
        List<ObjectNode> slice = records.subList(Math.min(offset, records.size()), Math.min(offset + limit, records.size()));
        ObjectNode envelope = JSON.createObjectNode();
        ArrayNode items = JSON.createArrayNode();
        slice.forEach(r -> items.add(r.deepCopy()));
        if (legacyEnvelope) {
            envelope.set(key, items);
            return envelope.put("total_count", records.size()).put("last_batch", slice.size());
        }
        envelope.put("success", true).set(key, items);
        envelope.putObject("pagination").put("total", records.size()).put("limit", limit).put("offset", offset)
                .put("hasMore", offset + slice.size() < records.size());
        return envelope;
    }

    private static int number(Map<String, String> q, String name, int fallback) {
        try {
            return q.containsKey(name) ? Integer.parseInt(q.get(name)) : fallback;
        } catch (NumberFormatException e) {
            throw new Refusal(400, name + " must be a number", name, "invalid");
        }
    }

    private static Instant instant(String value, String field) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Refusal(400, field + " must be an ISO-8601 instant", field, "invalid");
        }
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static JsonNode object(byte[] body) {
        try {
            JsonNode node = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            if (!node.isObject()) {
                throw new Refusal(400, "The body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new Refusal(400, "The body is not valid JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        if (!body.path(field).isTextual()) {
            throw new Refusal(400, field + " is required", field, "required");
        }
        return body.get(field).asText();
    }

    private static Reply json(int status, JsonNode body) {
        return new Reply(status, body.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** An error answer; an injected 2xx "error" is Beamery's failure inside a success status. */
    private static Reply error(int status, String message) {
        ObjectNode body = status < 300 ? JSON.createObjectNode().put("success", false)
                : JSON.createObjectNode().put("code", status);
        return json(status, body.put("message", message));
    }

    private static List<ObjectNode> copies(Stream<ObjectNode> records) {
        return records.map(ObjectNode::deepCopy).toList();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
