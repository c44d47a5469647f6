package io.greenbridge.greenhouse;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Greenhouse's webhook signature: {@code Signature: sha256 <hex>}, HMAC-SHA256 of the raw body. */
public final class WebhookSignature {
    private WebhookSignature() {
    }

    /** True when the header carries the HMAC of exactly these bytes; compared in constant time. */
    public static boolean verify(byte[] rawBody, String signatureHeader, String secret) {
        if (signatureHeader == null || secret == null || secret.isEmpty() || rawBody == null) {
            return false;
        }
        String[] parts = signatureHeader.trim().split("\\s+");
        if (parts.length != 2 || !"sha256".equalsIgnoreCase(parts[0])) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(parts[1].toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(rawBody, secret), given);
    }

    /** The header value Greenhouse would send for this body. */
    public static String sign(byte[] body, String secret) {
        return "sha256 " + HexFormat.of().formatHex(hmac(body, secret));
    }

    static byte[] hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
