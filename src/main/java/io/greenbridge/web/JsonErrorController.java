package io.greenbridge.web;

import java.io.IOException;

import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /error} in the error contract (replaces Spring Boot's whitelabel and default JSON). Written straight to
 * the response so an {@code Accept: text/html} cannot turn it into a 406; the exception text is never echoed.
 */
@RestController
public class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // a direct GET /error is not an error of this request: nothing lives there
        int status = code instanceof Integer i && i >= 400 ? i : 404;
        if (!response.isCommitted()) {
            response.resetBuffer();
            ApiError.write(response, status, ErrorCodes.code(status), ErrorCodes.message(status));
        }
    }
}
