package io.greenbridge.outbound;

import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * The contacts-out thread pool, made by Camel's ExecutorServiceManager (so it is shut down with the context and
 * shows in JMX as "greenhouse-push"): the parallel splits of routes/greenhouse-push.yaml and contacts-outbound.yaml
 * run {@code greenbridge.outbound.push-concurrency} contacts at once. {@code pushResults} gathers their answers in
 * the order of the split.
 */
@Configuration
public class OutboundThreads {
    @Bean(name = "greenhousePushPool", destroyMethod = "")
    ExecutorService greenhousePushPool(CamelContext camel, GreenbridgeProperties properties) {
        return camel.getExecutorServiceManager().newFixedThreadPool(this, "greenhouse-push",
                Math.max(1, properties.outbound().pushConcurrency()));
    }

    @Bean(name = "pushResults")
    GroupedBodyAggregationStrategy pushResults() {
        return new GroupedBodyAggregationStrategy();
    }
}
