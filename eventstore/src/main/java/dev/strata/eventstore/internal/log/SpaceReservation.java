package dev.strata.eventstore.internal.log;

import dev.strata.eventstore.StorageException;
import java.io.File;
import net.openhft.posix.OpenFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserves disk blocks ahead of the writer with {@code fallocate(2)}, so that a full disk makes an append fail
 * cleanly before anything is written, instead of a {@code SIGBUS} when the kernel cannot back a page of the
 * memory-mapped log (which the JVM surfaces as an {@code InternalError} at an arbitrary point of Chronicle's
 * writing). Once space is back, the next reservation succeeds and appends go on: no restart needed.
 *
 * <p>Writer thread only. Reserves in steps of {@value #STEP} bytes and keeps {@value #MARGIN} bytes reserved past
 * the end of the last record, which covers the index arrays Chronicle writes between records.
 */
final class SpaceReservation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpaceReservation.class);
    static final long STEP = 4L << 20;
    static final long MARGIN = 1L << 20;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int ENOSPC = 28;
    private static final int EOPNOTSUPP = 95;

    private final PosixAPI posix;
    private boolean supported = true;
    private File file;
    private int fd = -1;
    private long reservedUpTo;

    SpaceReservation() {
        PosixAPI api;
        try {
            api = PosixAPI.posix();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("fallocate is not available ({}): a full disk will fail appends less cleanly", e.toString());
            api = null;
            supported = false;
        }
        this.posix = api;
    }

    /**
     * Makes sure bytes {@code [0, end + MARGIN)} of {@code cycleFile} have disk blocks.
     *
     * @throws StorageException if the disk has no room (retryable: nothing was written)
     */
    void ensure(File cycleFile, long end) {
        if (!supported || cycleFile == null) {
            return;
        }
        if (!cycleFile.equals(file)) {
            switchTo(cycleFile);
            if (!supported) {
                return;
            }
        }
        long needed = end + MARGIN;
        if (needed <= reservedUpTo) {
            return;
        }
        long upTo = (needed / STEP + 1) * STEP;
        int result = posix.fallocate(fd, FALLOC_FL_KEEP_SIZE, reservedUpTo, upTo - reservedUpTo);
        if (result != 0) {
            int errno = posix.lastError();
            if (errno == EOPNOTSUPP) {
                LOG.warn("{} does not support fallocate: a full disk will fail appends less cleanly", cycleFile.getParent());
                supported = false;
                return;
            }
            throw new StorageException((errno == ENOSPC ? "disk full: " : "cannot reserve disk space: ")
                    + "no room for " + (upTo - reservedUpTo) + " more bytes of " + cycleFile + " ("
                    + posix.strerror(errno) + "); nothing was written, the store stays readable, and appends "
                    + "succeed again once there is space", null, true, false);
        }
        reservedUpTo = upTo;
    }

    private void switchTo(File cycleFile) {
        close();
        fd = posix.open(cycleFile.getAbsolutePath(), OpenFlag.O_RDWR, 0);
        if (fd < 0) {
            LOG.warn("cannot open {} to reserve space ({}): a full disk will fail appends less cleanly",
                    cycleFile, posix.strerror(posix.lastError()));
            supported = false;
            return;
        }
        file = cycleFile;
        reservedUpTo = 0;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            posix.close(fd);
            fd = -1;
        }
        file = null;
    }
}
