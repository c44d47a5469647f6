package io.greenbridge.outbound;

import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * The contacts-out thread pool, made by Camel's ExecutorServiceManager (so it is shut down with the context and
 * shows in JMX as "greenhouse-push") and bound in Camel's registry as {@value #POOL}: the parallel splits of
 * routes/greenhouse-push.yaml and contacts-outbound.yaml share it, {@code greenbridge.outbound.push-concurrency}
 * contacts at once. (Not a Spring bean: an Executor bean would replace Spring's own task executor.)
 * {@code pushResults} gathers the split's answers in the order of the split.
 */
@Configuration
public class OutboundThreads {
    static final String POOL = "greenhousePushPool";

    @Bean
    CamelContextConfiguration greenhousePushPool(GreenbridgeProperties properties) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                ExecutorService pool = camel.getExecutorServiceManager().newFixedThreadPool(OutboundThreads.this,
                        "greenhouse-push", Math.max(1, properties.outbound().pushConcurrency()));
                camel.getRegistry().bind(POOL, pool);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing: the pool is in place before the routes start
            }
        };
    }

    @Bean(name = "pushResults")
    GroupedBodyAggregationStrategy pushResults() {
        return new GroupedBodyAggregationStrategy();
    }
}
