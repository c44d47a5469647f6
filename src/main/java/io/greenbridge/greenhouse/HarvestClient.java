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

    private final GreenbridgeProperties.Greenhouse config;
    private final GreenhouseTokenProvider tokens;
    private final HarvestRateLimiter limiter;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final URI harvestBase;
    private final AtomicLong requests = new AtomicLong();

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
        List<String> distinct = new ArrayList<>(ids.stream().map(String::valueOf)
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
        String wanted = String.valueOf(id);
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

    /** An attachment's bytes; the bearer token goes only to the Harvest host, never to S3 or elsewhere. */
    public byte[] download(String url) {
        URI uri = URI.create(url);
        boolean harvestHost = sameOrigin(uri);
        return send("GET", uri, null, harvestHost).body();
    }

    /** Requests sent to Harvest so far (every attempt, including retries). */
    public long requestCount() {
        return requests.get();
    }

    // ---- mechanics ---------------------------------------------------------------------------------------

    private URI firstPage(String resource, Map<String, String> filters) {
        Map<String, String> query = new LinkedHashMap<>(filters == null ? Map.of() : filters);
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
        return parse(send(method, URI.create(v3(path)), bytes, true), method, path);
    }

    private String v3(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.startsWith("v3/")) {
            p = p.substring(3);
        }
        return harvestBase + "/v3/" + p;
    }

    /** Sends one logical request under the failure policy, with as many attempts as it allows. */
    private HttpResponse<byte[]> send(String method, URI uri, byte[] body, boolean authorised) {
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
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) { // connect errors and timeouts
                count("io_error");
                if (attempt >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, 0, e.toString(), true);
                }
                sleep(backoff(config.retryBackoff(), attempt++));
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
                    sleep(wait);
                }
                continue;
            }
            if (status >= 500 || status == 408) {
                if (attempt >= config.maxRetries()) {
                    throw new RemoteCallException(SYSTEM, what, status, text(response), true);
                }
                sleep(backoff(config.retryBackoff(), attempt++));
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

    static Duration backoff(Duration base, int attempt) {
        Duration d = base.multipliedBy(1L << Math.min(attempt, 20));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /** Lazy page iterator: the next page is fetched only when the previous one has been consumed. */
    private final class Pages implements Iterator<List<JsonNode>> {
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
            HttpResponse<byte[]> response = send("GET", uri, null, true);
            JsonNode body = parse(response, "GET", uri.getRawPath());
            if (!body.isArray()) {
                throw new RemoteCallException(SYSTEM, "GET " + uri.getRawPath(), response.statusCode(),
                        "expected a JSON array: " + text(response), false);
            }
            String link = LinkHeader.next(response.headers().allValues("Link"));
            next = link == null ? null : URI.create(link); // followed exactly: the cursor carries the filters
            List<JsonNode> records = new ArrayList<>(body.size());
            body.forEach(records::add);
            return records;
        }
    }
}
