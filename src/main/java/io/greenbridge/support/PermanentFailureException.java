package io.greenbridge.support;

/** Work that can never succeed as it is (bad data, a rule refusal): dead-lettered at once, never retried. */
public class PermanentFailureException extends RuntimeException {
    public PermanentFailureException(String message) {
        super(message);
    }
}
