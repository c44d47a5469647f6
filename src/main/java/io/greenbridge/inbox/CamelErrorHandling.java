package io.greenbridge.inbox;

import org.apache.camel.CamelContext;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Retries belong to the inbox, the outboxes and the API clients, which log each failure once with its
 * event or record id; Camel's default error handler would log every failed exchange again with a stack trace.
 */
@Configuration
public class CamelErrorHandling {
    @Bean
    CamelContextConfiguration quietExhaustedExchanges() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                DefaultErrorHandlerDefinition handler = new DefaultErrorHandlerDefinition();
                handler.logExhausted(false);
                context.getCamelContextExtension().setErrorHandlerFactory(handler);
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                // nothing after start
            }
        };
    }
}
