package io.greenbridge.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.greenbridge.config.GreenbridgeProperties.Assessment.Smtp;

/** SMTP transport security: the mode chosen per host and setting, and real sends against GreenMail (SMTP, SMTPS). */
class SmtpSecurityTest {
    @Test
    void theDefaultIsRequiredStarttlsUnlessTheHostIsLoopbackAndClearTextToARemoteHostIsRefused() {
        assertThat(SmtpSecurity.of(smtp("smtp.example.com", 587, null))).isEqualTo(SmtpSecurity.STARTTLS);
        assertThat(SmtpSecurity.of(smtp("smtp.example.com", 587, ""))).isEqualTo(SmtpSecurity.STARTTLS);
        assertThat(SmtpSecurity.of(smtp("127.0.0.1", 25, null))).isEqualTo(SmtpSecurity.NONE);
        assertThat(SmtpSecurity.of(smtp("localhost", 25, null))).isEqualTo(SmtpSecurity.NONE);
        assertThat(SmtpSecurity.of(smtp("smtp.example.com", 465, "tls"))).isEqualTo(SmtpSecurity.TLS);
        assertThat(SmtpSecurity.of(smtp("127.0.0.1", 25, "starttls"))).isEqualTo(SmtpSecurity.STARTTLS);
        assertThatThrownBy(() -> SmtpSecurity.of(smtp("smtp.example.com", 25, "none")))
                .hasMessageContaining("SMTP_SECURITY").hasMessageContaining("not loopback");
        assertThatThrownBy(() -> SmtpSecurity.of(smtp("smtp.example.com", 25, "maybe"))).hasMessageContaining("starttls, tls or none");

        String starttls = SmtpSecurity.STARTTLS.endpoint(smtp("smtp.example.com", null, null));
        assertThat(starttls).startsWith("smtp://smtp.example.com:587?")
                .contains("mail.smtp.starttls.enable=true", "mail.smtp.starttls.required=true")
                .doesNotContain("ssl.trust");
        assertThat(SmtpSecurity.TLS.endpoint(smtp("smtp.example.com", null, null))).startsWith("smtps://smtp.example.com:465?")
                .contains("mail.smtps.ssl.checkserveridentity=true").doesNotContain("ssl.trust");
        assertThat(SmtpSecurity.NONE.endpoint(smtp("127.0.0.1", 2525, null))).startsWith("smtp://127.0.0.1:2525?")
                .doesNotContain("starttls");
    }

    @Test
    void requiredStarttlsNeverFallsBackToClearTextAndImplicitTlsDelivers() throws Exception {
        GreenMail plain = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        GreenMail smtps = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        plain.start();
        smtps.start();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();

            Exchange clear = producer.send(SmtpSecurity.STARTTLS.endpoint(smtp("127.0.0.1", plain.getSmtp().getPort(), "starttls")),
                    mail(camel, "starttls@example.org"));
            assertThat(clear.getException()).isNotNull(); // the server offers no STARTTLS: nothing is sent in clear
            assertThat(plain.getReceivedMessages()).isEmpty();

            Exchange tls = producer.send(SmtpSecurity.TLS.endpoint(smtp("127.0.0.1", smtps.getSmtps().getPort(), "tls")),
                    mail(camel, "tls@example.org"));
            assertThat(tls.getException()).isNull();
            assertThat(smtps.getReceivedMessages()).hasSize(1);
        } finally {
            plain.stop();
            smtps.stop();
        }
    }

    private static Exchange mail(DefaultCamelContext camel, String to) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader("To", to);
        e.getMessage().setHeader("From", "assessments@greenbridge.local");
        e.getMessage().setHeader("Subject", "Invitation");
        e.getMessage().setBody("Hello");
        return e;
    }

    private static Smtp smtp(String host, Integer port, String security) {
        return new Smtp(host, port, null, null, security);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
