package io.greenbridge.store;

/** Puts a dead letter of one {@link #source()} back to work. One bean per source. */
public interface DeadLetterReplayer {
    String source();

    /** Re-queues the work; false when there is nothing to replay any more. */
    boolean replay(DeadLetter letter);
}
