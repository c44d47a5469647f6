package io.greenbridge.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * Keys derived from the server-side secret {@code GREENBRIDGE_DATA_KEY}: one for keyed hashes (tombstones, so a
 * dictionary of e-mails cannot reverse them) and one for AES-GCM encryption of secrets kept at rest. Live mode
 * requires the variable; sandbox and tests fall back to a fixed development key.
 */
@Component
public class DataKeys {
    static final String DEVELOPMENT_KEY = "greenbridge-sandbox-data-key-not-for-production";
    private static final int NONCE_BYTES = 12;
    private final byte[] hashKey;
    private final byte[] encryptionKey;
    private final SecureRandom random = new SecureRandom();

    @org.springframework.beans.factory.annotation.Autowired // two constructors: Spring must be told which
    public DataKeys(GreenbridgeProperties props) {
        this(props.dataKey() == null || props.dataKey().isBlank() ? DEVELOPMENT_KEY : props.dataKey());
    }

    public DataKeys(String secret) {
        byte[] master = secret.getBytes(StandardCharsets.UTF_8);
        this.hashKey = hmac(master, "greenbridge/keyed-hash");
        this.encryptionKey = hmac(master, "greenbridge/encryption");
    }

    /** HMAC-SHA256 of the text under the derived hash key, lowercase hex. */
    public String keyedHash(String text) {
        return java.util.HexFormat.of().formatHex(hmac(hashKey, text));
    }

    /** AES-256-GCM, random nonce; the result is base64 of nonce + ciphertext + tag. */
    public String encrypt(String plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new GCMParameterSpec(128, nonce));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Reverses {@link #encrypt}; a value sealed under another key fails (IllegalArgumentException). */
    public String decrypt(String sealed) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new GCMParameterSpec(128, in, 0, NONCE_BYTES));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("sealed under another GREENBRIDGE_DATA_KEY", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
