package io.greenbridge.store;

import java.util.Properties;

import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.autoconfigure.quartz.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Quartz's clustered JDBC store speaks the dialect of the configured database (H2 or PostgreSQL). */
@Configuration
public class QuartzStoreConfiguration {
    @Bean
    SchedulerFactoryBeanCustomizer quartzDelegate(DataSourceProperties dataSource,
                                                  org.springframework.boot.autoconfigure.quartz.QuartzProperties quartz) {
        return factory -> {
            Properties p = new Properties();
            p.putAll(quartz.getProperties());
            String url = dataSource.determineUrl() == null ? "" : dataSource.determineUrl();
            p.put("org.quartz.jobStore.driverDelegateClass", url.startsWith("jdbc:postgresql:")
                    ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                    : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
            factory.setQuartzProperties(p);
        };
    }
}
