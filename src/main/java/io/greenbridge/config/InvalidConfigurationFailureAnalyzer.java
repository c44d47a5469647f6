package io.greenbridge.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused live-mode start into a short list of what to set. */
public class InvalidConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<StartupValidator.InvalidConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, StartupValidator.InvalidConfigurationException cause) {
        String list = "  - " + String.join("\n  - ", cause.problems());
        return new FailureAnalysis("Greenbridge refused to start (live-mode checks):\n" + list,
                "Set the variables above (see README.md, Configuration), or run `make run` for sandbox mode.", cause);
    }
}
