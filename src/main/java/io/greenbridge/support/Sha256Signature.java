package io.greenbridge.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature headers of the form {@code sha256 <hex>}: an HMAC-SHA256 of the raw request body keyed with a shared
 * secret. Greenhouse signs its webhooks this way ({@code Signature}) and the assessment platform its results
 * ({@code X-Signature}). Verify the exact bytes received; never re-serialise (Greenhouse escapes Unicode).
 */
public final class Sha256Signature {
    private static final String SCHEME = "sha256";
    // a Mac keyed once per secret and cloned per call: the lookup and the key set-up cost more than a small body
    private static final Map<String, Mac> KEYED = new ConcurrentHashMap<>();
    private static final int MAX_KEYED = 16;
    private static final Pattern HEADER = Pattern.compile("sha256\\s+([0-9a-f]{64})", Pattern.CASE_INSENSITIVE);

    private Sha256Signature() {
    }

    /** True when the header is a well-formed {@code sha256 <hex>} matching the body; compared in constant time. */
    public static boolean verify(byte[] rawBody, String signatureHeader, String secret) {
        if (rawBody == null || signatureHeader == null || secret == null || secret.isEmpty()) {
            return false;
        }
        Matcher header = HEADER.matcher(signatureHeader.trim());
        if (!header.matches()) {
            return false;
        }
        byte[] expected = hmac(rawBody, secret);
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(header.group(1)));
    }

    /** The header value a signer sends for this body: {@code sha256 <lowercase hex>}. */
    public static String sign(byte[] body, String secret) {
        return SCHEME + " " + HexFormat.of().formatHex(hmac(body, secret));
    }

    private static byte[] hmac(byte[] body, String secret) {
        try {
            Mac keyed = KEYED.get(secret);
            if (keyed == null) {
                keyed = Mac.getInstance("HmacSHA256");
                keyed.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                if (KEYED.size() < MAX_KEYED) {
                    KEYED.putIfAbsent(secret, keyed);
                }
            }
            return ((Mac) keyed.clone()).doFinal(body);
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
