package io.greenbridge.greenhouse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
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

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.Backoff;
import io.greenbridge.support.BoundedBody;
import io.greenbridge.support.LogSafe;
import io.greenbridge.support.RemoteCallException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Harvest v3 over {@link HttpClient}: cursor pagination that follows {@code Link rel="next"} exactly,
 * id-batched lookups, writes, attachment downloads, and one failure policy for all of them
 * (401 renews the token once; 429 waits {@code Retry-After}; 5xx/timeouts back off and retry; other 4xx and
 * 2xx bodies carrying {@code errors} fail at once, not retryable).
 */
@Component
public class HarvestClient {
    /** Harvest accepts at most 50 ids per id filter. */
    public static final int MAX_IDS = 50;
    private static final Logger log = LoggerFactory.getLogger(HarvestClient.class);
    private static final String SYSTEM = "greenhouse";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_PAGES = 10_000;
    public static final long DEFAULT_MAX_PAGE_BYTES = 16L << 20;
    public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 25L << 20;
    /** A path segment sent to Harvest: a resource or action name, or a positive id. */
    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("[a-z_]+|[1-9][0-9]{0,18}");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[1-9][0-9]{0,18}");

    private final GreenbridgeProperties.Greenhouse config;
    private final GreenhouseTokenProvider tokens;
    private final HarvestRateLimiter limiter;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final URI harvestBase;
    private final AtomicLong requests = new AtomicLong();
    private final int maxPages;
    private final long maxPageBytes;

    @Autowired
    public HarvestClient(GreenbridgeProperties properties, GreenhouseTokenProvider tokens, HarvestRateLimiter limiter,
                         ObjectProvider<MeterRegistry> meters) {
        this(properties.greenhouse(), tokens, limiter, meters.getIfAvailable());
    }

    /** @param meters optional; null records no metrics */
    public HarvestClient(GreenbridgeProperties.Greenhouse config, GreenhouseTokenProvider tokens,
                         HarvestRateLimiter limiter, MeterRegistry meters) {
        this.config = config;
        this.tokens = tokens;
        this.limiter = limiter;
        this.meters = meters;
        this.harvestBase = URI.create(GreenhouseTokenProvider.trimSlash(config.harvestUrl()));
        this.maxPages = config.maxPages() > 0 ? config.maxPages() : DEFAULT_MAX_PAGES;
        this.maxPageBytes = config.maxPageBytes() > 0 ? config.maxPageBytes() : DEFAULT_MAX_PAGE_BYTES;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .build();
    }

    // ---- reads -------------------------------------------------------------------------------------------

    /** Every page of {@code GET /v3/{resource}?filters}, handed over one page at a time as it arrives. */
    public void forEachPage(String resource, Map<String, String> filters, Consumer<List<JsonNode>> page) {
        new Pages(firstPage(resource, filters)).forEachRemaining(page);
    }

    /** Every record of {@code GET /v3/{resource}?filters}, fetched lazily page by page. */
    public Stream<JsonNode> stream(String resource, Map<String, String> filters) {
        Pages pages = new Pages(firstPage(resource, filters));
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false)
                .flatMap(List::stream);
    }

    /** Records whose ids are given, asked in batches of at most 50 under {@code idParam} (ids, job_ids, …). */
    public List<JsonNode> listByIds(String resource, String idParam, Collection<?> ids, Map<String, String> extra) {
        List<String> distinct = new ArrayList<>(ids.stream().map(HarvestClient::checkedId)
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        List<JsonNode> out = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += MAX_IDS) {
            Map<String, String> filters = new LinkedHashMap<>(extra == null ? Map.of() : extra);
            filters.put(idParam, String.join(",", distinct.subList(from, Math.min(from + MAX_IDS, distinct.size()))));
            forEachPage(resource, filters, out::addAll);
        }
        return out;
    }

    /** One record by id (v3 has no GET by id; this lists with {@code ids=}). */
    public Optional<JsonNode> findById(String resource, Object id) {
        String wanted = checkedId(id);
        return listByIds(resource, "ids", List.of(wanted), Map.of()).stream()
                .filter(n -> wanted.equals(n.path("id").asText()))
                .findFirst();
    }

    // ---- writes ------------------------------------------------------------------------------------------

    /** {@code POST /v3/{path}} with a JSON body; the parsed answer (MissingNode when empty). */
    public JsonNode post(String path, Object body) {
        return write("POST", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return write("PATCH", path, body);
    }

    public JsonNode put(String path, Object body) {
        return write("PUT", path, body);
    }

    public JsonNode delete(String path) {
        return write("DELETE", path, null);
    }

    /** An attachment's bytes, at most {@link #DEFAULT_MAX_ATTACHMENT_BYTES}. */
    public byte[] download(String url) {
        return download(url, DEFAULT_MAX_ATTACHMENT_BYTES);
    }

    /**
     * An attachment's bytes, at most {@code maxBytes} (a larger file fails, not retryable); the bearer token goes
     * only to the Harvest origin, never to S3 or elsewhere.
     */
    public byte[] download(String url, long maxBytes) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new RemoteCallException(SYSTEM, "GET attachment", 0, "attachment url is not a URI", false);
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new RemoteCallException(SYSTEM, "GET attachment", 0, "attachment url is not http(s)", false);
        }
        boolean harvestHost = sameOrigin(uri);
        return send("GET", uri, null, harvestHost, maxBytes).body();
    }

    /** Refuses an id that is not a positive integer before it reaches a URL (no request is made). */
    public static String checkedId(Object id) {
        String s = String.valueOf(id).trim();
        if (!ID.matcher(s).matches()) {
            throw new IllegalArgumentException("Greenhouse id must be a positive integer, got " + LogSafe.value(s));
        }
        return s;
    }

    /** Requests sent to Harvest so far (every attempt, including retries). */
    public long requestCount() {
        return requests.get();
    }

    // ---- mechanics ---------------------------------------------------------------------------------------

    private URI firstPage(String resource, Map<String, String> filters) {
        Map<String, String> query = new LinkedHashMap<>(filters == null ? Map.of() : filters);
        query.forEach((k, v) -> {
            if (v != null && (k.equals("ids") || k.endsWith("_ids"))) {
                for (String id : v.split(",")) {
                    checkedId(id);
                }
            }
        });
        query.putIfAbsent("per_page", String.valueOf(config.perPage()));
        String qs = query.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return URI.create(v3(resource) + (qs.isEmpty() ? "" : "?" + qs));
    }

    private JsonNode write(String method, String path, Object body) {
        byte[] bytes;
        try {
            bytes = body == null ? null : json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise the Harvest request body", e);
        }
        return parse(send(method, URI.create(v3(path)), bytes, true, maxPageBytes), method, path);
    }

    private String v3(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.startsWith("v3/")) {
            p = p.substring(3);
        }
        int q = p.indexOf('?');
        for (String segment : (q < 0 ? p : p.substring(0, q)).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) { // "..", "-1", "%2F" and the like never become a path
                throw new IllegalArgumentException("not a Harvest path segment: " + LogSafe.value(segment));
            }
        }
        return harvestBase + "/v3/" + p;
    }

    /** Sends one logical request under the failure policy, with as many attempts as it allows. */
    private HttpResponse<byte[]> send(String method, URI uri, byte[] body, boolean authorised, long maxBytes) {
        String what = method + " " + uri.getRawPath();
        boolean paced = authorised && uri.getRawPath().startsWith(harvestBase.getRawPath() + "/v3/");
        boolean renewed = false;
        int attempt = 0;
        while (true) {
            if (paced) {
                limiter.acquire();
            }
            String token = authorised ? tokens.token() : null;
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
                    .header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            log.debug("{}", what);
            HttpResponse<byte[]> response;
            try {
                requests.incrementAndGet();
                response = BoundedBody.send(http, request.build(), maxBytes, config.requestTimeout());
            } catch (BoundedBody.TooLargeException e) { // the same reply would be as large next time
                count("too_large");
                log.warn("Harvest {}: {}; call failed, not retried", what, e.getMessage());
                throw new RemoteCallException(SYSTEM, what, 0, e.getMessage(), false);
            } catch (IOException e) { // connect errors and timeouts
                count("io_error");
                if (attempt >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, 0, e.toString(), true);
                }
                Backoff.pause(backoff(config.retryBackoff(), attempt++));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteCallException(SYSTEM, what, 0, "interrupted", true);
            }
            int status = response.statusCode();
            count(status / 100 + "xx");
            if (paced) {
                limiter.update(response.headers());
            }
            if (status == 401 && authorised && !renewed) {
                tokens.invalidate(token);
                renewed = true;
                continue;
            }
            if (status == 429) {
                Duration wait = retryAfter(response.headers());
                limiter.rateLimited(wait);
                if (attempt++ >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, status, text(response), true);
                }
                if (!paced) {
                    Backoff.pause(wait);
                }
                continue;
            }
            if (status >= 500 || status == 408) {
                if (attempt >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, status, text(response), true);
                }
                Backoff.pause(backoff(config.retryBackoff(), attempt++));
                continue;
            }
            if (status >= 300) { // 400/401 after renewal/403/404/409/422…: the request itself is wrong
                throw new RemoteCallException(SYSTEM, what, status, text(response), false);
            }
            return response;
        }
    }

    /** The body as JSON; a 2xx whose body is an object with a non-empty {@code errors} array is a failure. */
    private JsonNode parse(HttpResponse<byte[]> response, String method, String path) {
        if (response.body() == null || response.body().length == 0) {
            return MissingNode.getInstance();
        }
        JsonNode node;
        try {
            node = json.readTree(response.body());
        } catch (IOException e) {
            throw new RemoteCallException(SYSTEM, method + " " + path, response.statusCode(),
                    "unreadable JSON: " + text(response), false);
        }
        if (node != null && node.isObject() && node.path("errors").isArray() && !node.path("errors").isEmpty()) {
            throw new RemoteCallException(SYSTEM, method + " " + path, response.statusCode(), text(response), false);
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    private boolean sameOrigin(URI uri) {
        return Objects.equals(uri.getScheme(), harvestBase.getScheme())
                && Objects.equals(uri.getHost(), harvestBase.getHost())
                && port(uri) == port(harvestBase);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private void count(String statusClass) {
        if (meters != null) {
            Counter.builder("greenbridge.greenhouse.requests").tag("status", statusClass)
                    .description("Harvest HTTP requests by status class").register(meters).increment();
        }
    }

    private static Duration retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").map(String::trim).filter(v -> v.matches("\\d+"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(DEFAULT_RETRY_AFTER);
    }

    private static String text(HttpResponse<byte[]> response) {
        return response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8);
    }


    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The wait before retry {@code attempt} (from 0): {@link Backoff}, capped at 30 s. */
    static Duration backoff(Duration base, int attempt) {
        return Backoff.exponential(base, attempt, MAX_BACKOFF);
    }

    /** Lazy page iterator: the next page is fetched only when the previous one has been consumed. */
    private final class Pages implements Iterator<List<JsonNode>> {
        private final java.util.Set<String> fetched = new java.util.HashSet<>();
        private URI next;

        Pages(URI first) {
            this.next = first;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public List<JsonNode> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            URI uri = next;
            fetched.add(uri.toString());
            HttpResponse<byte[]> response = send("GET", uri, null, true, maxPageBytes);
            JsonNode body = parse(response, "GET", uri.getRawPath());
            if (!body.isArray()) {
                throw new RemoteCallException(SYSTEM, "GET " + uri.getRawPath(), response.statusCode(),
                        "expected a JSON array: " + text(response), false);
            }
            String link = LinkHeader.next(response.headers().allValues("Link"));
            next = link == null ? null : checkedNext(uri, link); // followed exactly: the cursor carries the filters
            List<JsonNode> records = new ArrayList<>(body.size());
            body.forEach(records::add);
            return records;
        }

        /** The next page's URL, or a failed listing when it leaves Harvest's origin, repeats, or passes the cap. */
        private URI checkedNext(URI current, String link) {
            String what = "GET " + current.getRawPath();
            URI target;
            try {
                target = current.resolve(link);
            } catch (IllegalArgumentException e) {
                throw stop(what, "Link rel=next is not a URL");
            }
            if (!sameOrigin(target)) { // the bearer token goes to GREENHOUSE_HARVEST_URL's origin only
                throw stop(what, "Link rel=next points to another origin (" + target.getScheme() + "://"
                        + target.getHost() + ":" + port(target) + ", expected " + origin(harvestBase)
                        + "); listing stopped, the token was not sent");
            }
            if (fetched.contains(target.toString())) {
                throw stop(what, "Link rel=next repeats a page already fetched in this listing; listing stopped");
            }
            if (fetched.size() >= maxPages) {
                throw stop(what, "listing passed greenbridge.greenhouse.max-pages (" + maxPages + " pages); listing stopped");
            }
            return target;
        }

        private RemoteCallException stop(String what, String reason) {
            log.warn("Harvest {}: {}", what, reason);
            return new RemoteCallException(SYSTEM, what, 200, reason, false);
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
    }
}
