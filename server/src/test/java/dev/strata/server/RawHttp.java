package dev.strata.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a well-behaved client library refuses to send: raw bytes in the path,
 * invalid UTF-8 bodies, huge headers, lying or chunked bodies. One request per connection ({@code Connection: close}).
 */
final class RawHttp {

    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    /** Sends a request: {@code head} is the request line and headers (without the blank line), then the body bytes. */
    static Reply send(int port, String head, byte[] body) throws IOException {
        return sendFrom("127.0.0.1", port, head, body);
    }

    /** As {@link #send}, from the local address {@code from} (any of 127.0.0.0/8 on Linux): another client. */
    static Reply sendFrom(String from, int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(java.net.InetAddress.getByName("127.0.0.1"), port, java.net.InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String fullHead = head + (head.toLowerCase(Locale.ROOT).contains("\r\nconnection:") ? "" : "\r\nConnection: close") + "\r\n\r\n";
            out.write(fullHead.getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // the server may answer (413) and close before it has read all we send: read its answer anyway
            }
            return read(socket.getInputStream(), head.startsWith("HEAD "));
        }
    }

    static Reply get(int port, String target, String... headers) throws IOException {
        return send(port, "GET " + target + " HTTP/1.1\r\nHost: localhost" + lines(headers), null);
    }

    static Reply post(int port, String target, String contentType, byte[] body, String... headers) throws IOException {
        String type = contentType == null ? "" : "\r\nContent-Type: " + contentType;
        return send(port, "POST " + target + " HTTP/1.1\r\nHost: localhost" + type + "\r\nContent-Length: " + body.length
                + lines(headers), body);
    }

    static Reply post(int port, String target, String contentType, String body, String... headers) throws IOException {
        return post(port, target, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String lines(String... headers) {
        StringBuilder out = new StringBuilder();
        for (String header : headers) {
            out.append("\r\n").append(header);
        }
        return out.toString();
    }

    static Reply read(InputStream in, boolean noBody) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        byte[] body;
        if (noBody || status == 304 || status == 204) {
            body = new byte[0];
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
        } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", List.of("")).get(0))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
                if (size == 0) {
                    line(in);
                    break;
                }
                out.write(in.readNBytes(size));
                line(in);
            }
            body = out.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Reply(status, headers, body);
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
    }
}
