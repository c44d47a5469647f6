package io.greenbridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class Sha256SignatureTest {
    private static final String SECRET = "test-webhook-secret";
    private static final byte[] BODY = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":1}}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aBodySignedWithTheSecretVerifies() {
        String header = Sha256Signature.sign(BODY, SECRET);
        assertThat(header).matches("sha256 [0-9a-f]{64}");
        assertThat(Sha256Signature.verify(BODY, header, SECRET)).isTrue();
    }

    @Test
    void extraSpacesAndUppercaseHexAreTolerated() {
        String hex = Sha256Signature.sign(BODY, SECRET).substring("sha256 ".length());
        assertThat(Sha256Signature.verify(BODY, "  sha256   " + hex.toUpperCase(Locale.ROOT) + " ", SECRET)).isTrue();
        assertThat(Sha256Signature.verify(BODY, "SHA256 " + hex, SECRET)).isTrue();
    }

    @Test
    void aWrongSecretOrAlteredBodyIsRejected() {
        String header = Sha256Signature.sign(BODY, SECRET);
        assertThat(Sha256Signature.verify(BODY, header, "other-secret")).isFalse();
        byte[] altered = new String(BODY, StandardCharsets.UTF_8).replace("1", "2").getBytes(StandardCharsets.UTF_8);
        assertThat(Sha256Signature.verify(altered, header, SECRET)).isFalse();
    }

    @Test
    void aMissingOrMalformedHeaderIsRejected() {
        String hex = Sha256Signature.sign(BODY, SECRET).substring("sha256 ".length());
        assertThat(Sha256Signature.verify(BODY, null, SECRET)).isFalse();
        assertThat(Sha256Signature.verify(BODY, "", SECRET)).isFalse();
        assertThat(Sha256Signature.verify(BODY, "sha256=" + hex, SECRET)).isFalse();
        assertThat(Sha256Signature.verify(BODY, hex, SECRET)).isFalse();
        assertThat(Sha256Signature.verify(BODY, "sha1 " + hex, SECRET)).isFalse();
        assertThat(Sha256Signature.verify(BODY, "sha256 " + hex.substring(2), SECRET)).isFalse();
        assertThat(Sha256Signature.verify(BODY, "sha256 zz" + hex.substring(2), SECRET)).isFalse();
        assertThat(Sha256Signature.verify(BODY, Sha256Signature.sign(BODY, SECRET), "")).isFalse();
    }

    @Test
    void theUnicodeEscapedBytesAreWhatIsSignedNotTheirDecodedForm() {
        // Greenhouse escapes <p> as \u003cp\u003e and signs that exact text
        byte[] escaped = "{\"notes\":\"\\u003cp\\u003eCaf\\u00e9\\u003c/p\\u003e\"}".getBytes(StandardCharsets.UTF_8);
        byte[] decoded = "{\"notes\":\"<p>Café</p>\"}".getBytes(StandardCharsets.UTF_8);
        String header = Sha256Signature.sign(escaped, SECRET);
        assertThat(Sha256Signature.verify(escaped, header, SECRET)).isTrue();
        assertThat(Sha256Signature.verify(decoded, header, SECRET)).isFalse();
    }
}
