package dev.strata.eventstore.internal;

import dev.strata.eventstore.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The store folder as a whole: whether a folder is a store, its size, and {@code store.properties}, which records
 * who opened it last and how (name, durability, time, process) for tools; nothing reads it to decide behaviour.
 */
public final class StoreFiles {

    public static final String PROPERTIES = "store.properties";

    private StoreFiles() {
    }

    public static boolean isStore(Path directory) {
        return Files.isDirectory(directory.resolve("log"));
    }

    /** Bytes the files under {@code path} take on disk (sparse log files count what they hold, not their length). */
    public static long size(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(StoreFiles::allocated).sum();
        } catch (IOException e) {
            throw new StorageException("cannot measure " + path + ": " + e.getMessage(), e);
        }
    }

    private static long allocated(Path file) {
        try {
            Object blocks = Files.getAttribute(file, "unix:blocks");
            return blocks instanceof Long count ? Math.min(count * 512, Files.size(file)) : Files.size(file);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            try {
                return Files.size(file);
            } catch (IOException again) {
                return 0;
            }
        }
    }

    static void recordOpen(StoreSettings settings) {
        Properties properties = new Properties();
        properties.setProperty("name", settings.name());
        properties.setProperty("format", "1");
        properties.setProperty("durability", settings.durability().name());
        properties.setProperty("opened", Instant.now().toString());
        properties.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        Path file = settings.directory().resolve(PROPERTIES);
        Path temp = settings.directory().resolve(PROPERTIES + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            properties.store(out, "Written by the last process that opened this store for writing; informational");
        } catch (IOException e) {
            throw new StorageException("cannot write " + temp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static String lastDurability(Path directory) {
        Path file = directory.resolve(PROPERTIES);
        if (!Files.exists(file)) {
            return "unknown";
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("durability", "unknown");
    }
}
