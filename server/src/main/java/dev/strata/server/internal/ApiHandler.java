package dev.strata.server.internal;

import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.remote.ProblemType;
import dev.strata.server.AccessTokens.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The API's one handler: it routes on the raw path, authenticates (401), applies the rate limit (429), checks names
 * and permissions (400, 403), and hands the request to its endpoint. It never blocks: endpoints read bodies
 * asynchronously and run reads on the pool, so the handler is {@code NON_BLOCKING} and Jetty runs it on the
 * selector thread without a hand-off.
 */
public final class ApiHandler extends Handler.Abstract.NonBlocking {

    /** The position header: an append's last position, or the head position a read saw. */
    public static final String POSITION_HEADER = "Strata-Position";

    private final ApiContext context;
    private final AppendEndpoint appends;
    private final ReadEndpoint reads;
    private final Subscriptions subscriptions;
    private final byte[] openApi;

    public ApiHandler(ApiContext context, Subscriptions subscriptions) {
        this.context = context;
        this.subscriptions = subscriptions;
        this.appends = new AppendEndpoint(context, subscriptions::onAppended);
        this.reads = new ReadEndpoint(context);
        this.openApi = openApiDocument();
    }

    /** The OpenAPI 3.1 description served at {@code /openapi.yaml}. */
    public static byte[] openApiDocument() {
        try (InputStream in = ApiHandler.class.getResourceAsStream("/dev/strata/server/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the server's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        Callback done = null;
        try {
            Router.Match match;
            try {
                match = Router.match(request.getMethod(), request.getHttpURI().getPath());
            } catch (RuntimeException e) {
                done = context.metrics().timed(null, request, response, callback, start);
                throw e;
            }
            Route route = match.route();
            done = context.metrics().timed(route, request, response, callback, start);
            Caller caller = authenticate(route, request);
            admit(route, caller, request);
            dispatch(match, caller, request, response, done);
        } catch (Throwable failure) {
            Responses.fail(request, response, done != null ? done : callback, failure);
        }
        return true;
    }

    private void dispatch(Router.Match match, Caller caller, Request request, Response response, Callback callback) {
        String name = match.name();
        switch (match.route()) {
            case APPEND -> {
                StreamNames.requireUserStream(name);
                requireAllowed(caller, caller == null || caller.canWrite(name), "write", "stream", name);
                appends.append(request, response, callback, name);
            }
            case APPEND_MULTI -> appends.appendMulti(request, response, callback, caller);
            case READ_STREAM -> {
                StreamNames.requireReadable(name);
                requireAllowed(caller, caller == null || caller.canRead(name), "read", "stream", name);
                if (wantsEvents(request)) {
                    subscriptions.subscribe(request, response, callback, Route.READ_STREAM, name);
                } else {
                    reads.readStream(request, response, callback, name);
                }
            }
            case READ_ALL -> {
                requireAllowed(caller, caller == null || caller.canReadAll(), "read", "the whole log (it needs read:*)", null);
                if (wantsEvents(request)) {
                    subscriptions.subscribe(request, response, callback, Route.READ_ALL, null);
                } else {
                    reads.readAll(request, response, callback);
                }
            }
            case READ_CATEGORY -> {
                StreamNames.requireCategory(name);
                requireAllowed(caller, caller == null || caller.canReadCategory(name), "read", "category", name);
                if (wantsEvents(request)) {
                    subscriptions.subscribe(request, response, callback, Route.READ_CATEGORY, name);
                } else {
                    reads.readCategory(request, response, callback, name);
                }
            }
            case HEALTH -> health(request, response, callback);
            case METRICS -> {
                QueryParameters.parse(request.getHttpURI().getQuery(), java.util.Set.of());
                Responses.send(request, response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                        context.scrape().get().getBytes(StandardCharsets.UTF_8));
            }
            case OPENAPI -> Responses.send(request, response, callback, 200, "application/yaml", openApi);
        }
    }

    /** {@code Accept: text/event-stream} on a {@code GET} of a read URL subscribes. */
    private static boolean wantsEvents(Request request) {
        if (!request.getMethod().equals("GET")) {
            return false;
        }
        List<String> accept = request.getHeaders().getValuesList(HttpHeader.ACCEPT);
        for (String value : accept) {
            for (String range : value.split(",")) {
                String type = range.split(";")[0].strip();
                if (type.equalsIgnoreCase("text/event-stream") && !range.replace(" ", "").contains("q=0")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void health(Request request, Response response, Callback callback) {
        boolean up;
        long head = -1;
        try {
            head = context.store().headPosition();
            up = true;
        } catch (RuntimeException e) {
            up = false;
        }
        String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"store\":\"" + context.store().name()
                + "\",\"headPosition\":" + head + ",\"durability\":\"" + context.durability() + "\"}";
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Responses.send(request, response, callback, up ? 200 : 503, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** The caller a bearer token belongs to; null when auth is off or the route is open ({@code /health}, {@code /openapi.yaml}). */
    private Caller authenticate(Route route, Request request) {
        if (context.tokens() == null || route == Route.HEALTH || route == Route.OPENAPI) {
            return null;
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null) {
            context.metrics().authFailed();
            throw new HttpProblem(ProblemType.UNAUTHORIZED, "this server needs a bearer token: Authorization: Bearer <token>")
                    .header("WWW-Authenticate", "Bearer realm=\"strata\"");
        }
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : null;
        Caller caller = token == null ? null : context.tokens().authenticate(token).orElse(null);
        if (caller == null) {
            context.metrics().authFailed();
            // the token is never echoed, logged or compared in a way that shows how close it was
            throw new HttpProblem(ProblemType.UNAUTHORIZED, token == null ? "the Authorization header must be Bearer <token>"
                    : "the bearer token is not valid")
                    .header("WWW-Authenticate", "Bearer realm=\"strata\", error=\"invalid_token\"");
        }
        return caller;
    }

    /** One token from the caller's bucket (per token name, or per client address when auth is off), or 429. */
    private void admit(Route route, Caller caller, Request request) {
        if (context.buckets() == null || route == Route.HEALTH) {
            return;
        }
        String key = caller != null ? "token:" + caller.name() : "address:" + Request.getRemoteAddr(request);
        long retryAfter = context.buckets().acquire(key);
        if (retryAfter > 0) {
            context.metrics().rateLimited();
            throw new HttpProblem(ProblemType.RATE_LIMITED, "the rate limit of this " + (caller != null ? "token" : "client address")
                    + " is used up; try again in " + retryAfter + " s")
                    .with("retryAfter", retryAfter)
                    .header("Retry-After", Long.toString(retryAfter));
        }
    }

    /** Refuses what the caller's token does not allow; the message is built only then, not on every request. */
    private static void requireAllowed(Caller caller, boolean allowed, String access, String kind, String name) {
        if (!allowed) {
            throw forbidden(caller, access, name == null ? kind : kind + " '" + name + "'");
        }
    }

    static HttpProblem forbidden(Caller caller, String access, String what) {
        return new HttpProblem(ProblemType.FORBIDDEN, "token '" + caller.name() + "' may not " + access + " " + what
                + "; it has " + caller.permissions());
    }
}
