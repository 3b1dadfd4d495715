package dev.strata.server.internal;

import dev.strata.eventstore.remote.ProblemType;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty writes itself (a request it could not parse, headers over the limit: 431, a body over the limit
 * found by {@code SizeLimitHandler}: 413, a request during a graceful stop: 503) as {@code application/problem+json}
 * like every other error of the API, instead of Jetty's HTML page.
 */
public final class ProblemErrorHandler implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            if (message == null) {
                message = http.getReason();
            }
        }
        if (status < 400) {
            status = 500;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(status) || request.getMethod().equals("HEAD")) {
            callback.succeeded();
            return true;
        }
        String phrase = HttpStatus.getMessage(status);
        String detail = switch (status) {
            case 413 -> "the request body is larger than the server accepts";
            case 431 -> "the request headers are larger than the server accepts";
            case 503 -> "the server is stopping";
            case 400 -> message == null || message.isBlank() || message.equals(phrase)
                    ? "the request could not be parsed as HTTP: a malformed request line, URI (such as a broken or NUL "
                    + "percent-escape) or header" : message;
            default -> message == null || message.isBlank() ? phrase : message;
        };
        HttpProblem problem = HttpProblem.ofStatus(status, phrase, detail);
        if (status == 503) {
            problem = new HttpProblem(ProblemType.UNAVAILABLE, detail);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemType.MEDIA_TYPE);
        response.write(true, ByteBuffer.wrap(Responses.problemJson(problem)), callback);
        return true;
    }
}
