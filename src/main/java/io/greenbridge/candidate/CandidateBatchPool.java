package io.greenbridge.candidate;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel thread pool profile {@value #ID} (executorService of the split {@code each-loaded-candidate} in
 * routes/contacts-inbound.yaml): backfill and reconciliation sync {@value #THREADS} candidates at a time; the
 * shared Harvest and Beamery limiters do the pacing. Camel's ExecutorServiceManager owns the threads (JMX, shutdown).
 */
@Configuration
public class CandidateBatchPool {
    static final String ID = "candidate-batch";
    static final int THREADS = 4;

    @Bean
    CamelContextConfiguration candidateBatchThreadPool() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                // callers wait for their chunk, so the queue stays short; CallerRuns never drops a candidate
                context.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(ID)
                        .poolSize(THREADS).maxPoolSize(THREADS).maxQueueSize(1000).build());
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                // nothing after start
            }
        };
    }
}
