package io.greenbridge.assessment;

/** Who an API key speaks for: this user of this company. Every assessment call is scoped to {@code companyId}. */
public record Tenant(String companyId, String userId, String keyId) {
}
