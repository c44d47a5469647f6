package io.greenbridge.web;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import jakarta.servlet.http.HttpServletResponse;

/** Spring MVC's own refusals (404, 405, 415, bad parameters, unreadable JSON) in the error contract. */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class WebErrors {
    private static final Logger LOG = LoggerFactory.getLogger(WebErrors.class);

    @ExceptionHandler(NoResourceFoundException.class)
    public void notFound(HttpServletResponse response) throws IOException {
        ApiError.write(response, 404, "not_found", ErrorCodes.message(404));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public void method(HttpRequestMethodNotSupportedException e, HttpServletResponse response) throws IOException {
        if (e.getSupportedMethods() != null) {
            response.setHeader("Allow", String.join(", ", e.getSupportedMethods()));
        }
        ApiError.write(response, 405, "method_not_allowed", "This path does not take " + e.getMethod() + ".");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public void mediaType(HttpServletResponse response) throws IOException {
        ApiError.write(response, 415, "unsupported_media_type", ErrorCodes.message(415));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public void unreadable(HttpServletResponse response) throws IOException {
        // the parser's message quotes the body, so it is neither echoed nor logged
        ApiError.write(response, 400, "invalid_json", "The body is not valid JSON.");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public void missing(MissingServletRequestParameterException e, HttpServletResponse response) throws IOException {
        ApiError.write(response, 400, "invalid_request", "The parameter '" + e.getParameterName() + "' is required.");
    }

    @ExceptionHandler(TypeMismatchException.class)
    public void mismatch(TypeMismatchException e, HttpServletResponse response) throws IOException {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        ApiError.write(response, 400, "invalid_parameter", "The parameter '" + name + "' has the wrong format.");
    }

    @ExceptionHandler(MissingPathVariableException.class)
    public void pathVariable(MissingPathVariableException e, HttpServletResponse response) throws IOException {
        ApiError.write(response, 400, "invalid_parameter", "The path parameter '" + e.getVariableName() + "' is missing.");
    }

    @ExceptionHandler(Exception.class)
    public void unexpected(Exception e, HttpServletResponse response) throws Exception {
        if (e instanceof java.io.IOException io && !(e instanceof java.io.EOFException)
                && e.getClass().getName().endsWith("ClientAbortException")) {
            throw io; // the caller went away; nothing to answer
        }
        if (e instanceof ErrorResponse er && er.getStatusCode().is4xxClientError()) {
            // Spring's other caller faults (406, 400 binding, ...) keep their status
            int status = er.getStatusCode().value();
            er.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            ApiError.write(response, status, ErrorCodes.code(status), ErrorCodes.message(status));
            return;
        }
        // the exception text can quote input (a database error quotes the value), so only its type at ERROR
        LOG.error("Request failed with {} (details at DEBUG)", e.getClass().getName());
        LOG.debug("Request failed", e);
        if (!response.isCommitted()) {
            ApiError.write(response, 500, "internal_error", ErrorCodes.message(500));
        }
    }
}
