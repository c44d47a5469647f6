package io.greenbridge.support;

/**
 * A call to Greenhouse or Beamery that failed. {@link #retryable()} decides between a retry with backoff
 * (429, 5xx, timeouts) and the dead-letter store (401 after renewal, 403, 404, 422 and other caller errors).
 */
public class RemoteCallException extends RuntimeException {
    private final String system;
    private final int status;
    private final String responseBody;
    private final boolean retryable;

    public RemoteCallException(String system, String request, int status, String responseBody, boolean retryable) {
        super(system + " " + request + " -> " + (status == 0 ? "no response" : "HTTP " + status)
                + (responseBody == null || responseBody.isBlank() ? "" : ": " + abbreviate(responseBody)));
        this.system = system;
        this.status = status;
        this.responseBody = responseBody;
        this.retryable = retryable;
    }

    public String system() { return system; }
    public int status() { return status; }
    public String responseBody() { return responseBody; }
    public boolean retryable() { return retryable; }

    private static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
