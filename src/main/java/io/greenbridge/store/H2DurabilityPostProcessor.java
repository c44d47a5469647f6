package io.greenbridge.store;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 file database acknowledges commits before they reach the disk (WRITE_DELAY, 500 ms by default), so a
 * kill -9 could lose webhooks already answered 200. Greenbridge makes each commit durable unless the URL says
 * otherwise. H2 also closes the database in its own shutdown hook, before the shutdown drain of the inbox has handed
 * back what it holds; with {@code DB_CLOSE_ON_EXIT=FALSE} the pool closes it last instead.
 */
@Component
public class H2DurabilityPostProcessor implements BeanPostProcessor {
    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null) {
            ds.setJdbcUrl(durable(ds.getJdbcUrl()));
        }
        return bean;
    }

    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase();
        String out = url;
        if (url.startsWith("jdbc:h2:file:") && !upper.contains("WRITE_DELAY")) {
            out += ";WRITE_DELAY=0";
        }
        if (!upper.contains("DB_CLOSE_ON_EXIT")) {
            out += ";DB_CLOSE_ON_EXIT=FALSE";
        }
        return out;
    }
}
