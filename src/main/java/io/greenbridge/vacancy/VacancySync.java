package io.greenbridge.vacancy;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.util.ObjectHelper;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.routes.RouteDeadLetters;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.sync.SyncCounts;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The {@code vacancies} flow (scheduled, POST /api/sync/vacancies, JMX): Greenhouse jobs changed since the cursor →
 * Beamery vacancies. The pipeline is the route {@code direct:vacancy-sync} in routes/vacancy-sync.yaml; this bean
 * starts it under {@link io.greenbridge.sync.SyncRunner}'s bookkeeping with the run's summary and options as
 * exchange properties.
 *
 * <p>A run lists the changed jobs ({@code updated_at=gte|cursor − overlap}, plus jobs whose stages or hiring team
 * rows changed), sorts them by id descending and works through them in chunks of {@code per_page}: related rows,
 * users, departments and offices resolved per chunk, the chunk's jobs mapped and written in parallel (or left alone
 * when their hash is unchanged). After each chunk the resume marker {@code vacancies.resume} records the lowest job
 * id done, so a run that stops resumes below it (jobs above it are skipped unless they changed after the stopped run
 * began). Only a run that ends without failures moves the cursor {@code vacancies}, to min(newest updated_at seen,
 * run start).
 */
@Component
public class VacancySync implements SyncFlow {
    public static final String CURSOR = "vacancies";
    public static final String RESUME = "vacancies.resume";
    public static final String ROUTE = "direct:vacancy-sync";

    private final ProducerTemplate camel;
    private final GreenbridgeProperties props;

    public VacancySync(ProducerTemplate camel, GreenbridgeProperties props) {
        this.camel = camel;
        this.props = props;
    }

    /** Per-run choices; {@link #defaults} reads them from configuration. */
    public record Options(int perPage, Duration overlap, boolean blockConfidential) {
        public Options withPerPage(int n) { return new Options(n, overlap, blockConfidential); }
        public Options withBlockConfidential(boolean b) { return new Options(perPage, overlap, b); }
        public Options withOverlap(Duration d) { return new Options(perPage, d, blockConfidential); }
    }

    public Options defaults() {
        return new Options(props.greenhouse().perPage(), props.vacancies().overlap(), props.vacancies().blockConfidential());
    }

    @Override
    public String name() {
        return "vacancies";
    }

    @Override
    public void run(SyncSummary summary) {
        run(summary, defaults());
    }

    /** Runs the route; an outage (a retryable RemoteCallException) comes back as itself, however deep the split. */
    public void run(SyncSummary summary, Options options) {
        Exchange done = camel.send(ROUTE, ex -> {
            ex.setProperty(SyncCounts.SUMMARY, summary);
            ex.setProperty(RouteDeadLetters.FLOW, name());
            ex.setProperty(VacancyRun.OPTIONS, options);
        });
        Exception failure = done.getException();
        if (failure == null) {
            return;
        }
        RemoteCallException remote = ObjectHelper.getException(RemoteCallException.class, failure);
        if (remote != null) {
            throw remote;
        }
        throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure.getMessage(), failure);
    }
}
