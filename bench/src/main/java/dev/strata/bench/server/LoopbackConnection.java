package dev.strata.bench.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends a request and reads its answer, blocking: a load generator that costs
 * far less CPU per request than a general client (the server and the generator share two cores), so the figures are
 * the server's. It understands exactly what the Strata server answers to appends: a status line, headers with a
 * Content-Length, a body.
 */
final class LoopbackConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] line = new byte[8192];

    LoopbackConnection(InetSocketAddress server) throws IOException {
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 5_000);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 16 << 10);
    }

    /** Sends a POST and returns the answer's status; the body is read and dropped. */
    int post(String path, String contentType, byte[] body) throws IOException {
        return post(path, contentType, null, body);
    }

    /** As {@link #post(String, String, byte[])} with one more header line ({@code "If-Match: \"7\""}), or none if null. */
    int post(String path, String contentType, String header, byte[] body) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: bench\r\nContent-Type: " + contentType + "\r\n"
                + (header == null ? "" : header + "\r\n") + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return readAnswer();
    }

    private int readAnswer() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new IOException("the server closed the connection");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = 0;
        String header;
        while ((header = readLine()) != null && !header.isEmpty()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        in.skipNBytes(length);
        return code;
    }

    private String readLine() throws IOException {
        int size = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return new String(line, 0, size > 0 && line[size - 1] == '\r' ? size - 1 : size, StandardCharsets.US_ASCII);
            }
            if (size < line.length) {
                line[size++] = (byte) b;
            }
        }
        return size == 0 ? null : new String(line, 0, size, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
