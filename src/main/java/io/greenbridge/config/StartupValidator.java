package io.greenbridge.config;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

import io.greenbridge.config.GreenbridgeProperties.Mode;

/**
 * Live mode refuses to start unless the contract's required variables are set and well formed (no placeholders,
 * secrets of their minimum length, https unless the host is loopback); the error names every problem at once, so an
 * operator fixes them in one go. The rules themselves are in {@link LiveModeRules}.
 *
 * <p>Sandbox mode skips those checks, so it is honoured only where the sandbox exists: when
 * {@value #SANDBOX_CLASS} (test sources, {@code make run} and the tests) is on the classpath. The jar refuses it.
 *
 * <p>A bean factory post-processor, so the check runs before any other bean: a refused start opens no port and
 * never migrates the database.
 */
@Component
public class StartupValidator implements BeanFactoryPostProcessor, EnvironmentAware {
    private static final Logger LOG = LoggerFactory.getLogger(StartupValidator.class);
    /** Present only on the test classpath ({@code make run}, tests); never in target/greenbridge.jar. */
    public static final String SANDBOX_CLASS = "io.greenbridge.sandbox.SandboxApplication";
    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        GreenbridgeProperties props = Binder.get(environment).bind("greenbridge", GreenbridgeProperties.class)
                .orElseThrow(() -> new InvalidConfigurationException(List.of("greenbridge.* settings are missing")));
        List<String> problems = problems(props);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        if (props.mode() == Mode.SANDBOX) {
            LOG.warn("SANDBOX MODE: live-mode checks are off (weak secrets, plain http and missing variables "
                    + "are accepted). For make run and the tests only; never for real data.");
        }
    }

    /** Every missing or invalid setting; in sandbox mode only whether the sandbox is on the classpath. */
    public static List<String> problems(GreenbridgeProperties p) {
        return problems(p, ClassUtils.isPresent(SANDBOX_CLASS, StartupValidator.class.getClassLoader()));
    }

    /** As {@link #problems(GreenbridgeProperties)}, with the sandbox's presence given (for tests). */
    public static List<String> problems(GreenbridgeProperties p, boolean sandboxOnClasspath) {
        List<String> out = new ArrayList<>();
        if (p.mode() == Mode.SANDBOX) {
            if (!sandboxOnClasspath) {
                out.add("GREENBRIDGE_MODE (greenbridge.mode) is sandbox, but sandbox mode exists only in `make run` "
                        + "and the tests (its simulators are not in this jar); unset it to run in live mode");
            }
            return out;
        }
        for (LiveModeRules.Rule rule : LiveModeRules.RULES) {
            rule.check(p, out);
        }
        if (p.beamery().requestsPerSecond() < 1 || p.beamery().requestsPerSecond() > 40) {
            out.add("greenbridge.beamery.requests-per-second must be between 1 and 40 (Beamery's limit)");
        }
        if (p.greenhouse().perPage() < 1 || p.greenhouse().perPage() > 500) {
            out.add("greenbridge.greenhouse.per-page must be between 1 and 500");
        }
        return out;
    }

    /** Thrown at start-up; {@link InvalidConfigurationFailureAnalyzer} prints it without a stack trace. */
    public static class InvalidConfigurationException extends RuntimeException {
        private final List<String> problems;

        public InvalidConfigurationException(List<String> problems) {
            super("Greenbridge refused to start: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
