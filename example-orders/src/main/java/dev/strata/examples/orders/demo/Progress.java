package dev.strata.examples.orders.demo;

import java.io.PrintWriter;

/** Progress of a long run: a bar redrawn in place on a terminal, a plain line every few seconds otherwise. */
final class Progress {

    private static final int WIDTH = 30;
    private static final long LINE_EVERY_NANOS = 2_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final long total;
    private final long started = System.nanoTime();
    private long lastLine;

    Progress(PrintWriter out, boolean terminal, long total) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
    }

    synchronized void show(long done, String extra) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        double fraction = total == 0 ? 1 : (double) done / total;
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        String figures = String.format("%5.1f%%  %,d / %,d orders  %,.0f orders/s  ETA %d:%02d%s", fraction * 100, done, total, rate,
                eta / 60, eta % 60, extra.isEmpty() ? "" : "  " + extra);
        if (terminal) {
            int filled = (int) Math.round(fraction * WIDTH);
            out.print("\r  [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + figures + "   ");
            out.flush();
        } else if (lastLine == 0 || now - lastLine >= LINE_EVERY_NANOS || done == total) {
            lastLine = now;
            out.println("  " + figures);
            out.flush();
        }
    }

    synchronized void finish() {
        if (terminal) {
            out.println();
            out.flush();
        }
    }
}
