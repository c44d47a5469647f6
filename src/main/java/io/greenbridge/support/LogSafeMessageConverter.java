package io.greenbridge.support;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %m}/{@code %msg} with control characters escaped (logback-spring.xml maps the words to it). */
public class LogSafeMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogSafe.escape(super.convert(event));
    }
}
