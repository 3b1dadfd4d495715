package dev.strata.server.internal;

import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.remote.ProblemType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the route of a request from its method and its raw (still percent-encoded, not normalized) path, so that a
 * stream name is checked exactly as the client sent it: {@code /streams/a%2Fb}, {@code /streams/..} and
 * {@code /streams/a/b} all name invalid streams (400, naming the rule), instead of being decoded or normalized
 * into some other path first.
 */
final class Router {

    /** A matched route and the decoded name in its path, if it has one. */
    record Match(Route route, String name) {
    }

    private Router() {
    }

    static Match match(String method, String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            rawPath = "/";
        }
        return switch (rawPath) {
            case "/streams" -> pick(method, rawPath, null, Route.APPEND_MULTI);
            case "/all" -> pick(method, rawPath, null, Route.READ_ALL);
            case "/health" -> pick(method, rawPath, null, Route.HEALTH);
            case "/metrics" -> pick(method, rawPath, null, Route.METRICS);
            case "/openapi.yaml" -> pick(method, rawPath, null, Route.OPENAPI);
            default -> {
                if (rawPath.startsWith("/streams/")) {
                    String name = decode("stream", rawPath.substring("/streams/".length()));
                    yield pick(method, rawPath, name, Route.APPEND, Route.READ_STREAM);
                }
                if (rawPath.startsWith("/categories/")) {
                    String name = decode("category", rawPath.substring("/categories/".length()));
                    yield pick(method, rawPath, name, Route.READ_CATEGORY);
                }
                throw new HttpProblem(ProblemType.NOT_FOUND, "no resource at " + printable(rawPath)
                        + "; the API is /streams/{stream}, /streams, /all, /categories/{category}, /health, /metrics, /openapi.yaml");
            }
        };
    }

    private static Match pick(String method, String rawPath, String name, Route... candidates) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : candidates) {
            if (route.methods().contains(method)) {
                return new Match(route, name);
            }
            allowed.addAll(route.methods());
        }
        throw new HttpProblem(ProblemType.METHOD_NOT_ALLOWED, printable(method) + " is not allowed on " + printable(rawPath)
                + "; allowed: " + String.join(", ", allowed))
                .header("Allow", String.join(", ", allowed));
    }

    /** Percent-decodes one path segment as strict UTF-8; what it decodes to is the caller's to validate. */
    static String decode(String field, String raw) {
        byte[] bytes = new byte[raw.length()];
        int length = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new ValidationException(field, raw, "must be percent-encoded correctly (%XX with two hex digits)");
                }
                bytes[length++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                i += 2;
            } else if (c > 0x7f) {
                throw new ValidationException(field, raw, "must be ASCII in the URL (percent-encode the rest)");
            } else {
                bytes[length++] = (byte) c;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new ValidationException(field, raw, "must percent-encode valid UTF-8");
        }
    }

    /** A path or method for a message: control characters escaped, long ones cut. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
