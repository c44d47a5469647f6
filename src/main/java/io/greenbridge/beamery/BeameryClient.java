package io.greenbridge.beamery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.Backoff;
import io.greenbridge.support.BoundedBody;
import io.greenbridge.support.RemoteCallException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Beamery REST client: bearer token, the shared rate limit, retries and both list envelopes.
 *
 * <p>Failure policy: 401 renews the token once, then fails for good; 429 waits {@code x-ratelimit-reset} and
 * retries; 5xx, connect errors and timeouts retry with exponential backoff up to {@code maxRetries}, then throw
 * a retryable {@link RemoteCallException}; any other 4xx (and a 2xx whose body says {@code success:false} or
 * carries an error {@code code}) throws a non-retryable one with Beamery's {@code {code,message,errors}} body.
 * Only method and path are logged (queries can hold emails).
 */
@Component
public class BeameryClient {
    static final String SYSTEM = "beamery";
    private static final Logger log = LoggerFactory.getLogger(BeameryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PAGE = 100;
    private static final String JSON_TYPE = "application/json";
    public static final int DEFAULT_MAX_PAGES = 10_000;
    public static final long DEFAULT_MAX_PAGE_BYTES = 16L << 20;
    private static final long MAX_BACKOFF_SECONDS = 30;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(MAX_BACKOFF_SECONDS);
    /** The shape of Beamery ids (UUIDs, {@code vac-…}, {@code st-1}); anything else never reaches a URL. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final GreenbridgeProperties.Beamery config;
    private final String baseUrl;
    private final URI base;
    private final int maxPages;
    private final long maxPageBytes;
    private final BeameryTokenProvider tokens;
    private final BeameryRateLimiter limiter;
    private final HttpClient http;
    private final AtomicLong requests = new AtomicLong();
    private final Counter counter;

    @Autowired
    public BeameryClient(GreenbridgeProperties properties, BeameryTokenProvider tokens, BeameryRateLimiter limiter,
            ObjectProvider<MeterRegistry> meters) {
        this(properties.beamery(), tokens, limiter, meters.getIfAvailable());
    }

    /** @param meters optional; when given, requests are counted as {@code greenbridge.beamery.requests} */
    public BeameryClient(GreenbridgeProperties.Beamery config, BeameryTokenProvider tokens, BeameryRateLimiter limiter,
            MeterRegistry meters) {
        this.config = config;
        this.baseUrl = trimSlash(config.apiUrl());
        this.base = URI.create(baseUrl);
        this.maxPages = config.maxPages() > 0 ? config.maxPages() : DEFAULT_MAX_PAGES;
        this.maxPageBytes = config.maxPageBytes() > 0 ? config.maxPageBytes() : DEFAULT_MAX_PAGE_BYTES;
        this.tokens = tokens;
        this.limiter = limiter;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
        this.counter = meters == null ? null
                : Counter.builder("greenbridge.beamery.requests").description("HTTP requests sent to Beamery").register(meters);
    }

    /** Requests sent to Beamery (retries included, token requests not), for benchmarks and status pages. */
    public long requestCount() {
        return requests.get();
    }

    // ---- generic verbs -------------------------------------------------------------------------------------

    public JsonNode get(String path) {
        return send("GET", path, null, null, false);
    }

    /** GET that answers empty on 404. */
    public Optional<JsonNode> find(String path) {
        return Optional.ofNullable(send("GET", path, null, null, true));
    }

    public JsonNode post(String path, JsonNode body) {
        return send("POST", path, body == null ? null : bytes(body), body == null ? null : JSON_TYPE, false);
    }

    public JsonNode patch(String path, JsonNode body) {
        return send("PATCH", path, bytes(body), JSON_TYPE, false);
    }

    public JsonNode put(String path, JsonNode body) {
        return send("PUT", path, bytes(body), JSON_TYPE, false);
    }

    public void delete(String path) {
        send("DELETE", path, null, null, false);
    }

    /** Uploads a file as multipart/form-data parts {@code file}, {@code filename} and {@code type}. */
    public JsonNode postMultipart(String path, String filename, String type, String contentType, byte[] bytes) {
        String boundary = "greenbridge-" + UUID.randomUUID();
        // upstream values go into part headers: no CR/LF, quotes or control characters, bounded length
        String safeName = MultipartHeaders.filename(filename);
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 512);
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + safeName
                + "\"\r\nContent-Type: " + MultipartHeaders.contentType(contentType) + "\r\n\r\n");
        body.writeBytes(bytes);
        write(body, "\r\n");
        textPart(body, boundary, "filename", safeName);
        textPart(body, boundary, "type", MultipartHeaders.token(type, "other"));
        write(body, "--" + boundary + "--\r\n");
        return send("POST", path, body.toByteArray(), "multipart/form-data; boundary=" + boundary, false);
    }

    /**
     * A lazily paged list: {@code limit}/{@code offset} pages of {@code arrayKey}, read from either envelope
     * ({@code pagination{total,limit,offset,hasMore}} or {@code total_count}/{@code last_batch}).
     */
    public Stream<JsonNode> list(String path, String arrayKey, Map<String, String> params) {
        return StreamSupport.stream(new Pager(path, arrayKey, params), false);
    }

    // ---- contacts ------------------------------------------------------------------------------------------

    public List<JsonNode> findContactsByEmail(String email) {
        return list("/contacts", "contacts", Map.of("email", email)).toList();
    }

    public Optional<JsonNode> findContactByGreenhouseId(String greenhouseId) {
        io.greenbridge.greenhouse.HarvestClient.checkedId(greenhouseId);
        return list("/contacts", "contacts", Map.of("integration", "greenhouse", "integrationId", greenhouseId))
                .findFirst();
    }

    /** Contacts changed at or after {@code since}, oldest change first (the outbound poll's cursor order). */
    public Stream<JsonNode> listContactsUpdatedSince(Instant since) {
        return list("/contacts", "contacts", updatedSince(since));
    }

    public JsonNode getContact(String id) {
        return get("/contact/" + segment(id));
    }

    public Optional<JsonNode> findContact(String id) {
        return find("/contact/" + segment(id));
    }

    public JsonNode createContact(JsonNode contact) {
        JsonNode created = post("/contact", contact);
        if (created.path("id").asText("").isEmpty()) {
            throw new RemoteCallException(SYSTEM, "POST /contact", 201, "created contact has no id", false);
        }
        return created;
    }

    /** Partial update: arrays sent replace Beamery's, fields left out stay as they are. */
    public JsonNode patchContact(String id, JsonNode changes) {
        return patch("/contact/" + segment(id), changes);
    }

    /** Merges {@code secondaryId} into {@code primaryId}; returns the primary contact. */
    public JsonNode mergeContacts(String primaryId, String secondaryId) {
        return post("/contact/" + segment(primaryId) + "/merge", JSON.createObjectNode().put("mergeContactId", checkedId(secondaryId)));
    }

    public JsonNode anonymizeContact(String id) {
        return post("/contact/" + segment(id) + "/anonymize", null);
    }

    /** Puts a contact on a vacancy at a stage; {@code link} is {@code {stageId, rejectionReason}}. */
    public JsonNode putContactVacancy(String contactId, String vacancyId, JsonNode link) {
        return put("/contact/" + segment(contactId) + "/vacancies/" + segment(vacancyId), link);
    }

    public JsonNode addContactGlobalTags(String contactId, List<String> tagIds) {
        ObjectNode body = JSON.createObjectNode();
        tagIds.forEach(body.putArray("ids")::add);
        return post("/contact/" + segment(contactId) + "/global-tags", body);
    }

    public void removeContactGlobalTag(String contactId, String tagId) {
        delete("/contact/" + segment(contactId) + "/global-tags/" + segment(tagId));
    }

    // ---- notes and attachments -----------------------------------------------------------------------------

    /** {@code note} is {@code {content, private, authorId, createdAt, externalId}}. */
    public JsonNode createNote(String contactId, JsonNode note) {
        return post("/contact/" + segment(contactId) + "/note", note);
    }

    /** Notes created in {@code [after, before)}; either bound may be null. */
    public Stream<JsonNode> listNotes(Instant after, Instant before) {
        Map<String, String> params = new LinkedHashMap<>();
        if (after != null) {
            params.put("after", after.toString());
        }
        if (before != null) {
            params.put("before", before.toString());
        }
        return list("/notes", "notes", params);
    }

    /** {@code type} is resume, cover_letter or other. */
    public JsonNode uploadAttachment(String contactId, String filename, String type, String contentType, byte[] bytes) {
        return postMultipart("/contact/" + segment(contactId) + "/attachment", filename, type, contentType, bytes);
    }

    // ---- vacancies -----------------------------------------------------------------------------------------

    public JsonNode createVacancy(JsonNode vacancy) {
        return post("/vacancy", vacancy);
    }

    public JsonNode patchVacancy(String id, JsonNode changes) {
        return patch("/vacancy/" + segment(id), changes);
    }

    public Optional<JsonNode> findVacancy(String id) {
        return find("/vacancy/" + segment(id));
    }

    public Stream<JsonNode> listVacanciesUpdatedSince(Instant since) {
        return list("/vacancies", "vacancies", updatedSince(since));
    }

    // ---- reference data ------------------------------------------------------------------------------------

    public List<JsonNode> listUsers() {
        return list("/users", "users", Map.of()).toList();
    }

    public List<JsonNode> listSources() {
        return list("/sources", "sources", Map.of()).toList();
    }

    public JsonNode createSource(String name, String externalId) {
        return post("/source", named(name, externalId));
    }

    public List<JsonNode> listDepartments() {
        return list("/departments", "departments", Map.of()).toList();
    }

    public JsonNode createDepartment(String name, String externalId) {
        return post("/department", named(name, externalId));
    }

    public List<JsonNode> listGlobalTags() {
        return list("/global-tags", "globalTags", Map.of()).toList();
    }

    public JsonNode createGlobalTag(String value) {
        return post("/global-tag", JSON.createObjectNode().put("value", value));
    }

    // ---- the exchange --------------------------------------------------------------------------------------

    /** One logical call with its retries; returns null only for a 404 when {@code absentOn404}. */
    private JsonNode send(String method, String path, byte[] body, String contentType, boolean absentOn404) {
        String what = method + " " + withoutQuery(path);
        URI uri = target(path);
        int failures = 0;
        boolean renewed = false;
        while (true) {
            String token;
            try {
                token = tokens.token();
            } catch (RemoteCallException e) {
                if (!e.retryable() || failures >= config.maxRetries()) {
                    throw e;
                }
                pause(backoff(failures++), what);
                continue;
            }
            HttpResponse<byte[]> reply;
            try {
                reply = exchange(method, uri, body, contentType, token, what);
            } catch (BoundedBody.TooLargeException e) { // the same reply would be as large next time
                log.warn("Beamery {}: {}; call failed, not retried", what, e.getMessage());
                throw new RemoteCallException(SYSTEM, what, 0, e.getMessage(), false);
            } catch (IOException e) {
                if (failures >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, 0, e.toString(), true);
                }
                pause(backoff(failures++), what);
                continue;
            }
            int status = reply.statusCode();
            String text = new String(reply.body(), StandardCharsets.UTF_8);
            if (status == 401 && !renewed) {
                tokens.invalidate(token);
                renewed = true;
                continue;
            }
            if (status == 429 || status >= 500) {
                if (failures >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, status, text, true);
                }
                // a 429 already paused the shared limiter for x-ratelimit-reset
                if (status >= 500) {
                    pause(backoff(failures), what);
                }
                failures++;
                continue;
            }
            if (status == 404 && absentOn404) {
                return null;
            }
            if (status < 200 || status >= 300) {
                throw new RemoteCallException(SYSTEM, what, status, text, false);
            }
            JsonNode json = parse(text, what, status);
            int bodyCode = errorCodeIn(json);
            if (bodyCode != 0) {
                boolean retryable = bodyCode == 429 || bodyCode >= 500;
                if (!retryable || failures >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, status, text, retryable);
                }
                pause(backoff(failures++), what);
                continue;
            }
            return json;
        }
    }

    /** The request URL: under the configured base, same origin, no dot segments, whatever the path holds. */
    private URI target(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("Beamery path must start with /");
        }
        String raw = withoutQuery(path);
        for (String segment : raw.substring(1).split("/", -1)) {
            String decoded = java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")) {
                throw new IllegalArgumentException("Beamery path segment refused: " + segment);
            }
        }
        URI uri = URI.create(baseUrl + path);
        if (!origin(uri).equals(origin(base))) { // the bearer token goes to BEAMERY_API_URL's origin only
            throw new IllegalArgumentException("Beamery URL outside " + origin(base));
        }
        return uri;
    }

    static String origin(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getScheme() + "://" + uri.getHost() + ":" + port;
    }

    private HttpResponse<byte[]> exchange(String method, URI uri, byte[] body, String contentType, String token,
            String what) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", JSON_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException(SYSTEM, what, 0, "interrupted", true);
        }
        requests.incrementAndGet();
        if (counter != null) {
            counter.increment();
        }
        log.debug("Beamery {}", what);
        try {
            HttpResponse<byte[]> response = BoundedBody.send(http, request.build(), maxPageBytes, config.requestTimeout());
            limiter.completed(response.statusCode(), response.headers());
            return response;
        } catch (InterruptedException e) {
            limiter.failed();
            Thread.currentThread().interrupt();
            throw new RemoteCallException(SYSTEM, what, 0, "interrupted", true);
        } catch (IOException | RuntimeException e) {
            limiter.failed();
            throw e;
        }
    }

    /** Beamery sometimes reports a failure inside a 2xx body; returns its code, or 0 when the body is a success. */
    private static int errorCodeIn(JsonNode json) {
        JsonNode code = json.path("code");
        if (code.isNumber() && code.asInt() >= 400) {
            return code.asInt();
        }
        JsonNode success = json.path("success");
        return success.isBoolean() && !success.asBoolean() ? 400 : 0;
    }

    private static JsonNode parse(String body, String what, int status) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RemoteCallException(SYSTEM, what, status, "response is not JSON", false);
        }
    }

    /** The wait before retry {@code failures} (from 0): {@link Backoff}, capped at {@value #MAX_BACKOFF_SECONDS} s. */
    private Duration backoff(int failures) {
        return Backoff.exponential(config.retryBackoff(), failures, MAX_BACKOFF);
    }

    /** {@link Backoff#pause}; an interrupt (shutdown) ends the call as a retryable failure. */
    private static void pause(Duration duration, String what) {
        try {
            Backoff.pause(duration);
        } catch (IllegalStateException interrupted) {
            throw new RemoteCallException(SYSTEM, what, 0, "interrupted", true);
        }
    }

    /** Pages fetched one at a time, only when the stream needs the next item. */
    private final class Pager extends Spliterators.AbstractSpliterator<JsonNode> {
        private final String path;
        private final String arrayKey;
        private final Map<String, String> params;
        private final int limit;
        private int offset;
        private int pages;
        private boolean lastPage;
        private Iterator<JsonNode> page = List.<JsonNode>of().iterator();

        Pager(String path, String arrayKey, Map<String, String> params) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.path = path;
            this.arrayKey = arrayKey;
            this.params = new LinkedHashMap<>(params);
            this.limit = Math.min(MAX_PAGE, Integer.parseInt(this.params.getOrDefault("limit", String.valueOf(config.pageSize()))));
            this.offset = Integer.parseInt(this.params.getOrDefault("offset", "0"));
        }

        @Override
        public boolean tryAdvance(Consumer<? super JsonNode> action) {
            while (!page.hasNext() && !lastPage) {
                fetch();
            }
            if (!page.hasNext()) {
                return false;
            }
            action.accept(page.next());
            return true;
        }

        private void fetch() {
            if (pages++ >= maxPages) {
                throw stop("listing passed greenbridge.beamery.max-pages (" + maxPages + " pages); listing stopped");
            }
            params.put("limit", String.valueOf(limit));
            params.put("offset", String.valueOf(offset));
            JsonNode json = get(path + "?" + query(params));
            int before = offset;
            JsonNode items = json.path(arrayKey);
            int count = items.size();
            JsonNode pagination = json.path("pagination");
            int pageLimit = pagination.path("limit").asInt(limit);
            long total = pagination.has("total") ? pagination.path("total").asLong() : json.path("total_count").asLong(Long.MAX_VALUE);
            offset += json.has("last_batch") ? json.path("last_batch").asInt(count) : count;
            lastPage = count == 0 || count < Math.max(1, pageLimit)
                    || (pagination.path("hasMore").isBoolean() && !pagination.path("hasMore").asBoolean())
                    || offset >= total;
            if (!lastPage && offset <= before) { // the same page again and again would never end
                throw stop("offset did not advance past " + before + " (last_batch " + json.path("last_batch").asText("?")
                        + "); listing stopped");
            }
            page = items.iterator();
        }

        private RemoteCallException stop(String reason) {
            log.warn("Beamery GET {}: {}", path, reason);
            return new RemoteCallException(SYSTEM, "GET " + path, 200, reason, false);
        }
    }

    // ---- small helpers -------------------------------------------------------------------------------------

    private static Map<String, String> updatedSince(Instant since) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("updated_at", since.toString());
        params.put("updated_at_op", "gte");
        params.put("sort_field", "updatedAt");
        params.put("sort_order", "asc");
        return params;
    }

    private static ObjectNode named(String name, String externalId) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        if (externalId != null) {
            body.put("externalId", externalId);
        }
        return body;
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> encoded(e.getKey()) + "=" + encoded(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** An id checked against Beamery's id shape; anything else is refused before a request is made. */
    public static String checkedId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            String shown = id == null ? "null" : id.length() > 80 ? id.substring(0, 80) + "…" : id;
            throw new IllegalArgumentException("not a Beamery id: \"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        return id;
    }

    /** A checked id as one percent-encoded path segment. */
    private static String segment(String id) {
        return encoded(checkedId(id));
    }

    /** Percent-encodes a path segment or query part. */
    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String withoutQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static byte[] bytes(JsonNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void textPart(ByteArrayOutputStream out, String boundary, String name, String value) {
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
