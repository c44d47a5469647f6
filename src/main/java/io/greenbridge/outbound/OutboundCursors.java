package io.greenbridge.outbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.store.CursorStore;
import io.greenbridge.sync.SyncCounts;
import io.greenbridge.sync.SyncSummary;

/**
 * The poll's bookkeeping (route beamery-contacts): its two cursors ({@code beamery.contacts}, {@code beamery.notes}),
 * the contacts queued for the per-contact pipeline, and the run's counts. A cursor moves to the newest change seen,
 * but never past a contact or note that failed in a way a later poll can fix (429/5xx after retries). The first run
 * starts one overlap before now: history is not exported.
 */
@Component("outboundCursors")
public class OutboundCursors {
    static final String CONTACTS_CURSOR = "beamery.contacts";
    static final String NOTES_CURSOR = "beamery.notes";
    /** Header: the lower bound of a listing (cursor minus overlap). */
    static final String SINCE = "since";
    /** Property: the contacts the poll syncs (GreenhousePush.Work), in the order listed. */
    static final String QUEUE = "syncQueue";
    /** Header set by a note's failure: a later poll sends it again. */
    static final String NOTE_RETRY = "noteRetry";
    private static final String FIRST_START = "firstStart";
    private static final String CONTACTS_MARK = "contactsMark";
    private static final String NOTES_MARK = "notesMark";

    private final CursorStore cursors;
    private final GreenbridgeProperties.Outbound config;

    public OutboundCursors(CursorStore cursors, GreenbridgeProperties properties) {
        this.cursors = cursors;
        this.config = properties.outbound();
    }

    /** Step: header since for the contacts listing; an empty queue. */
    public void startContacts(Exchange exchange) {
        Instant firstStart = Instant.now().minus(config.overlap());
        exchange.setProperty(FIRST_START, firstStart);
        Instant cursor = cursor(CONTACTS_CURSOR, firstStart);
        exchange.setProperty(CONTACTS_MARK, new Watermark(cursor));
        exchange.setProperty(QUEUE, new ArrayList<GreenhousePush.Work>());
        exchange.getMessage().setHeader(SINCE, cursor.minus(config.overlap()).toString());
    }

    /** Step: an edited contact (body) was seen. */
    public void contactSeen(Exchange exchange) {
        mark(exchange, CONTACTS_MARK).seen(updatedAt(exchange.getMessage().getBody(JsonNode.class)));
    }

    /** Step: the contact (body) goes to the pipeline, created as {@code kind} when new to Greenhouse. */
    public void queue(Exchange exchange, String kind) {
        queue(exchange).add(new GreenhousePush.Work(exchange.getMessage().getBody(JsonNode.class), PushKind.valueOf(kind)));
    }

    /** Step: counts the pipeline's results (body); the cursor is held back to the oldest contact that failed. */
    public void finishContacts(Exchange exchange) {
        List<?> results = exchange.getMessage().getBody(List.class);
        List<GreenhousePush.Work> queued = queue(exchange);
        Watermark mark = mark(exchange, CONTACTS_MARK);
        for (int i = 0; i < results.size(); i++) {
            PushResult result = (PushResult) results.get(i);
            count(exchange, result);
            if (result.failed()) {
                mark.retryFrom(updatedAt(queued.get(i).contact()));
            }
        }
        cursors.put(CONTACTS_CURSOR, mark.value().toString());
    }

    /** Step: counts PushResults (body). */
    public void countResults(Exchange exchange) {
        for (Object result : exchange.getMessage().getBody(List.class)) {
            if (result instanceof PushResult r) {
                count(exchange, r);
            }
        }
    }

    /** Step: header since for the notes listing. */
    public void startNotes(Exchange exchange) {
        Instant cursor = cursor(NOTES_CURSOR, exchange.getProperty(FIRST_START, Instant.class));
        exchange.setProperty(NOTES_MARK, new Watermark(cursor));
        exchange.getMessage().setHeader(SINCE, cursor.minus(config.overlap()).toString());
    }

    /** Step: a note was handled; its outcome (header outcome, none when it was not due) is counted. */
    public void noteSeen(Exchange exchange) {
        String outcome = exchange.getMessage().getHeader(SyncCounts.OUTCOME, String.class);
        if (outcome != null) {
            summary(exchange).count(outcome);
        }
        Instant created = Instant.parse(exchange.getProperty(NoteForwarder.NOTE, JsonNode.class).path("createdAt").asText());
        Watermark mark = mark(exchange, NOTES_MARK);
        mark.seen(created);
        if (exchange.getMessage().getHeader(NOTE_RETRY, false, Boolean.class)) {
            mark.retryFrom(created);
        }
    }

    public void finishNotes(Exchange exchange) {
        cursors.put(NOTES_CURSOR, mark(exchange, NOTES_MARK).value().toString());
    }

    /** A create Greenhouse has not finished is not a failure: it counts as skipped until it is linked. */
    private static void count(Exchange exchange, PushResult result) {
        summary(exchange).count(PushResult.PENDING.equals(result.outcome()) ? "skipped" : result.outcome());
    }

    private static SyncSummary summary(Exchange exchange) {
        SyncSummary summary = exchange.getProperty(SyncCounts.SUMMARY, SyncSummary.class);
        return summary != null ? summary : new SyncSummary();
    }

    @SuppressWarnings("unchecked")
    private static List<GreenhousePush.Work> queue(Exchange exchange) {
        return exchange.getProperty(QUEUE, List.class);
    }

    private static Watermark mark(Exchange exchange, String name) {
        return exchange.getProperty(name, Watermark.class);
    }

    private static Instant updatedAt(JsonNode contact) {
        return Instant.parse(contact.path("updatedAt").asText());
    }

    private Instant cursor(String name, Instant firstStart) {
        return cursors.get(name).map(Instant::parse).orElse(firstStart);
    }

    /** The newest stamp seen, held back to the oldest stamp that must be seen again. */
    static final class Watermark {
        private Instant newest;
        private Instant retryFrom;

        Watermark(Instant start) {
            newest = start;
        }

        synchronized void seen(Instant stamp) {
            newest = stamp.isAfter(newest) ? stamp : newest;
        }

        synchronized void retryFrom(Instant stamp) {
            retryFrom = retryFrom == null || stamp.isBefore(retryFrom) ? stamp : retryFrom;
        }

        synchronized Instant value() {
            return retryFrom != null && retryFrom.isBefore(newest) ? retryFrom : newest;
        }
    }
}
