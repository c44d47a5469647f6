package io.greenbridge.greenhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "test-webhook-secret";
    private static final byte[] BODY = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":1}}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aBodySignedWithTheSecretVerifies() {
        String header = WebhookSignature.sign(BODY, SECRET);
        assertThat(header).matches("sha256 [0-9a-f]{64}");
        assertThat(WebhookSignature.verify(BODY, header, SECRET)).isTrue();
    }

    @Test
    void extraSpacesAndUppercaseHexAreTolerated() {
        String hex = WebhookSignature.sign(BODY, SECRET).substring("sha256 ".length());
        assertThat(WebhookSignature.verify(BODY, "  sha256   " + hex.toUpperCase(Locale.ROOT) + " ", SECRET)).isTrue();
        assertThat(WebhookSignature.verify(BODY, "SHA256 " + hex, SECRET)).isTrue();
    }

    @Test
    void aWrongSecretOrAlteredBodyIsRejected() {
        String header = WebhookSignature.sign(BODY, SECRET);
        assertThat(WebhookSignature.verify(BODY, header, "other-secret")).isFalse();
        byte[] altered = new String(BODY, StandardCharsets.UTF_8).replace("1", "2").getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(altered, header, SECRET)).isFalse();
    }

    @Test
    void aMissingOrMalformedHeaderIsRejected() {
        String hex = WebhookSignature.sign(BODY, SECRET).substring("sha256 ".length());
        assertThat(WebhookSignature.verify(BODY, null, SECRET)).isFalse();
        assertThat(WebhookSignature.verify(BODY, "", SECRET)).isFalse();
        assertThat(WebhookSignature.verify(BODY, "sha256=" + hex, SECRET)).isFalse();
        assertThat(WebhookSignature.verify(BODY, hex, SECRET)).isFalse();
        assertThat(WebhookSignature.verify(BODY, "sha1 " + hex, SECRET)).isFalse();
        assertThat(WebhookSignature.verify(BODY, "sha256 " + hex.substring(2), SECRET)).isFalse();
        assertThat(WebhookSignature.verify(BODY, "sha256 zz" + hex.substring(2), SECRET)).isFalse();
        assertThat(WebhookSignature.verify(BODY, WebhookSignature.sign(BODY, SECRET), "")).isFalse();
    }

    @Test
    void theUnicodeEscapedBytesAreWhatIsSignedNotTheirDecodedForm() {
        // Greenhouse escapes <p> as \u003cp\u003e and signs that exact text
        byte[] escaped = "{\"notes\":\"\\u003cp\\u003eCaf\\u00e9\\u003c/p\\u003e\"}".getBytes(StandardCharsets.UTF_8);
        byte[] decoded = "{\"notes\":\"<p>Café</p>\"}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSignature.sign(escaped, SECRET);
        assertThat(WebhookSignature.verify(escaped, header, SECRET)).isTrue();
        assertThat(WebhookSignature.verify(decoded, header, SECRET)).isFalse();
    }
}
