package io.greenbridge.store;

/**
 * The kinds of {@link LinkStore} rows ({@code record_links.kind}): one place, so a link written by one flow is
 * found by another. Values are stored data: renaming one needs a migration. Routes that pass a kind as a string
 * (reference-sync.yaml: {@code 'source'}, {@code 'department'}) use the same values.
 */
public final class LinkKinds {
    /** Greenhouse candidate id → Beamery contact id. */
    public static final String CANDIDATE = "candidate";
    /** Beamery contact id on both sides: a Greenhouse candidate create in flight (outbound). */
    public static final String CANDIDATE_PENDING = "candidate-pending";
    /** Greenhouse application id → {@code <contactId>/<vacancyId>}. */
    public static final String APPLICATION = "application";
    /** Greenhouse note id → Beamery note id. */
    public static final String NOTE = "note";
    /** {@code <contactId>:<file key>} → Beamery attachment id. */
    public static final String ATTACHMENT = "attachment";
    /** Greenhouse attachment source key → Beamery attachment id (the same file is not uploaded twice). */
    public static final String ATTACHMENT_SOURCE = "gh-attachment";
    /** Greenhouse user id → Beamery user id. */
    public static final String USER = "user";
    /** Greenhouse job id → Beamery vacancy id. */
    public static final String JOB = "job";
    /** Greenhouse source id → Beamery source id (content hash: the name). */
    public static final String SOURCE = "source";
    /** Greenhouse department id → Beamery department id (content hash: the name). */
    public static final String DEPARTMENT = "department";

    private LinkKinds() {
    }
}
