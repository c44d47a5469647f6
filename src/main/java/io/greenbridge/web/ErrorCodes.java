package io.greenbridge.web;

/** The contract's error code and a plain message for an HTTP status, where no handler said more. */
final class ErrorCodes {
    private ErrorCodes() {
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 431 -> "headers_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "The request could not be understood (its line, headers, framing or body are malformed).";
            case 401 -> "Credentials are missing or not valid.";
            case 403 -> "These credentials do not allow this request.";
            case 404 -> "There is nothing at this path.";
            case 405 -> "This path does not take this HTTP method.";
            case 406 -> "This endpoint answers application/json only.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The body is too large.";
            case 414 -> "The request line is too long.";
            case 415 -> "Send the body as application/json.";
            case 431 -> "The request headers are too large.";
            case 503 -> "The service is not available right now; retry later.";
            default -> status >= 500 ? "An internal error occurred; it has been logged." : "The request was refused.";
        };
    }
}
