package io.greenbridge.outbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.store.CursorStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The {@code beamery} flow (Quartz, {@code greenbridge.outbound.cron}; {@code POST /api/sync/beamery}): Beamery
 * sends no webhooks, so this lists the contacts updated since its cursor (minus the overlap) and
 * <ol>
 * <li>carries merges and anonymizations to Greenhouse ({@link BeameryLifecycle});</li>
 * <li>syncs the edits of linked contacts; an unchanged contact or the echo of Greenbridge's own write causes no
 * Greenhouse call ({@link OutboundState});</li>
 * <li>pushes contacts not yet in Greenhouse that match an automation rule ({@link OutboundRules});</li>
 * <li>forwards new notes of linked contacts ({@link NoteForwarder}).</li>
 * </ol>
 * A cursor moves to the newest change seen, but never past a contact or note that failed in a way a later poll can
 * fix (429/5xx after retries). The first run starts one overlap before now: history is not exported.
 */
@Component
public class BeameryContactsFlow implements SyncFlow {
    static final String CONTACTS_CURSOR = "beamery.contacts";
    static final String NOTES_CURSOR = "beamery.notes";

    private final BeameryClient beamery;
    private final CursorStore cursors;
    private final LinkStore links;
    private final GreenhousePush push;
    private final BeameryLifecycle lifecycle;
    private final OutboundRules rules;
    private final NoteForwarder notes;
    private final GreenbridgeProperties.Outbound config;

    public BeameryContactsFlow(BeameryClient beamery, CursorStore cursors, LinkStore links, GreenhousePush push,
                               BeameryLifecycle lifecycle, OutboundRules rules, NoteForwarder notes,
                               GreenbridgeProperties properties) {
        this.beamery = beamery;
        this.cursors = cursors;
        this.links = links;
        this.push = push;
        this.lifecycle = lifecycle;
        this.rules = rules;
        this.notes = notes;
        this.config = properties.outbound();
    }

    @Override
    public String name() {
        return "beamery";
    }

    @Override
    public void run(SyncSummary summary) {
        Instant firstStart = Instant.now().minus(config.overlap());
        syncContacts(summary, cursor(CONTACTS_CURSOR, firstStart));
        forwardNotes(summary, cursor(NOTES_CURSOR, firstStart));
    }

    private void syncContacts(SyncSummary summary, Instant cursor) {
        List<JsonNode> changed = beamery.listContactsUpdatedSince(cursor.minus(config.overlap())).toList();
        Watermark mark = new Watermark(cursor);
        List<GreenhousePush.Work> work = new ArrayList<>();
        List<Instant> stamps = new ArrayList<>();
        for (JsonNode contact : changed) {
            Instant updated = Instant.parse(contact.path("updatedAt").asText());
            if (lifecycle.isLifecycleChange(contact)) {
                lifecycle.handle(contact).ifPresent(summary::count); // in order: a merge before the primary's edit
                mark.seen(updated);
                continue;
            }
            Optional<PushKind> kind = linked(contact) ? Optional.of(PushKind.AUTO)
                    : rules.match(contact).map(rule -> PushKind.of(rule.push()));
            kind.ifPresent(k -> {
                work.add(new GreenhousePush.Work(contact, k));
                stamps.add(updated);
            });
            mark.seen(updated);
        }
        List<PushResult> results = push.syncAll(work);
        for (int i = 0; i < results.size(); i++) {
            summary.count(countedAs(results.get(i)));
            if (results.get(i).failed()) {
                mark.retryFrom(stamps.get(i));
            }
        }
        cursors.put(CONTACTS_CURSOR, mark.value().toString());
        push.retryPending().forEach(r -> summary.count(countedAs(r)));
    }

    /** A create Greenhouse has not finished is not a failure: it counts as skipped until it is linked. */
    private static String countedAs(PushResult result) {
        return PushResult.PENDING.equals(result.outcome()) ? "skipped" : result.outcome();
    }

    private void forwardNotes(SyncSummary summary, Instant cursor) {
        Watermark mark = new Watermark(cursor);
        notes.forwardSince(cursor.minus(config.overlap()), (outcome, created, retry) -> {
            if (outcome != null) {
                summary.count(outcome);
            }
            mark.seen(created);
            if (retry) {
                mark.retryFrom(created);
            }
        });
        cursors.put(NOTES_CURSOR, mark.value().toString());
    }

    private boolean linked(JsonNode contact) {
        return links.byBeameryId("candidate", contact.path("id").asText()).isPresent()
                || contact.path("integrations").path("greenhouse").path("id").asText("").matches("\\d+");
    }

    private Instant cursor(String name, Instant firstStart) {
        return cursors.get(name).map(Instant::parse).orElse(firstStart);
    }

    /** The newest stamp seen, held back to the oldest stamp that must be seen again. */
    private static final class Watermark {
        private final AtomicReference<Instant> newest;
        private Instant retryFrom;

        Watermark(Instant start) {
            newest = new AtomicReference<>(start);
        }

        void seen(Instant stamp) {
            newest.accumulateAndGet(stamp, (a, b) -> a.isAfter(b) ? a : b);
        }

        void retryFrom(Instant stamp) {
            retryFrom = retryFrom == null || stamp.isBefore(retryFrom) ? stamp : retryFrom;
        }

        Instant value() {
            return retryFrom != null && retryFrom.isBefore(newest.get()) ? retryFrom : newest.get();
        }
    }
}
