package io.greenbridge.assessment;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import io.greenbridge.support.Hashes;

/**
 * Company API keys: "this user of this company". A key is shown once, stored only as its SHA-256 and found by
 * that hash; Greenhouse sends it as the Basic-auth username with an empty password.
 */
@Component
public class ApiKeys {
    /** Keys start with this, so a leaked one is recognisable (e.g. by secret scanners). */
    static final String PREFIX = "gbk_";

    private final JdbcTemplate jdbc;

    public ApiKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new key; {@code key} is the only copy of the plaintext (47 characters, under Greenhouse's 171). */
    public record IssuedKey(String id, String key) {
    }

    public IssuedKey issue(String companyId, String userId) {
        String key = PREFIX + Secrets.random256();
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO api_keys (id, user_id, company_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                id, userId, companyId, Hashes.sha256Hex(key), key.substring(0, 12), Tenants.now());
        return new IssuedKey(id, key);
    }

    /** Revokes a key (again is harmless); false when there is no such key. */
    public boolean revoke(String keyId) {
        return jdbc.update("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", Tenants.now(), keyId) > 0;
    }

    /** The tenant of a live key given in an {@code Authorization: Basic base64(key:)} header. */
    public Optional<Tenant> authenticate(String authorization) {
        return basicUsername(authorization).flatMap(this::tenantOf);
    }

    Optional<Tenant> tenantOf(String key) {
        if (key.isEmpty() || key.length() >= 171) {
            return Optional.empty();
        }
        String hash = Hashes.sha256Hex(key);
        return jdbc.query("SELECT id, company_id, user_id, key_hash FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                        (rs, i) -> Secrets.sameSecret(hash, rs.getString(4))
                                ? new Tenant(rs.getString(2), rs.getString(3), rs.getString(1)) : null,
                        hash)
                .stream().filter(t -> t != null).findFirst();
    }

    static Optional<String> basicUsername(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
