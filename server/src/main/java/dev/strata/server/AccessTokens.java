package dev.strata.server;

import dev.strata.eventstore.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer tokens a server accepts and what each may do, read from a token file ({@code strata server --auth FILE}):
 *
 * <pre>
 * # one token per line: NAME SECRET PERMISSION...
 * #   NAME        [A-Za-z0-9._-]{1,64}, unique: shown in logs and metrics, never the token
 * #   SECRET      the token itself (16 to 512 characters of A-Z a-z 0-9 - . _ ~ + / and trailing =),
 * #               or sha256:&lt;64 hex digits&gt;, the SHA-256 of the token, so the file need not hold it
 * #   PERMISSION  read:PREFIX or write:PREFIX: the stream names starting with PREFIX; PREFIX * means every stream
 * #               (read:* is needed for GET /all; a category is readable when its name starts with a read prefix)
 * orders-service  k3J9xQ2mV7pLw4Zt8Rb1   read:order write:order- read:payment
 * dashboard       sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8  read:*
 * </pre>
 *
 * A presented token is hashed and compared with every configured hash in constant time ({@link MessageDigest#isEqual}),
 * all of them every time, so neither the comparison nor which entry matched shows in the response time. Tokens never
 * appear in messages or logs; errors in the file name the line and the rule.
 */
public final class AccessTokens {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{16,512}=*");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");
    private static final Pattern PREFIX = Pattern.compile("\\*|\\$?[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}");

    private final List<Entry> entries;

    private AccessTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads a token file (format above). */
    public static AccessTokens load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ValidationException("auth file", file, "must be a readable UTF-8 text file (" + e.getMessage() + ")");
        }
        return parse(lines, file.toString());
    }

    /** Parses the lines of a token file; {@code source} names it in errors. */
    public static AccessTokens parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] fields = line.split("\\s+");
            if (fields.length < 3) {
                throw new ValidationException(where, fields[0] + " ...", "must be NAME SECRET PERMISSION... (at least one permission)");
            }
            String name = fields[0];
            if (!NAME.matcher(name).matches()) {
                throw new ValidationException(where + " name", name, "must match " + NAME.pattern());
            }
            if (!names.add(name)) {
                throw new ValidationException(where + " name", name, "must be unique in the file");
            }
            byte[] hash = hash(fields[1], where + " secret of " + name);
            if (!hashes.add(HexFormat.of().formatHex(hash))) {
                throw new ValidationException(where + " secret of " + name, "(not shown)", "must differ from every other token");
            }
            List<Permission> permissions = new ArrayList<>();
            for (int f = 2; f < fields.length; f++) {
                permissions.add(Permission.parse(fields[f], where));
            }
            entries.add(new Entry(new Caller(name, List.copyOf(permissions)), hash));
        }
        if (entries.isEmpty()) {
            throw new ValidationException("auth file", source, "must define at least one token");
        }
        return new AccessTokens(entries);
    }

    private static byte[] hash(String secret, String where) {
        if (HASH.matcher(secret).matches()) {
            return HexFormat.of().parseHex(secret.substring("sha256:".length()).toLowerCase(java.util.Locale.ROOT));
        }
        if (!TOKEN.matcher(secret).matches()) {
            // never show the secret, not even a wrong one: it may be a real token with a typo
            throw new ValidationException(where, "(not shown, " + secret.length() + " characters)",
                    "must be 16 to 512 characters of A-Z a-z 0-9 - . _ ~ + / (then =), or sha256:<64 hex digits>");
        }
        return sha256(secret);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The caller a presented token belongs to, or empty. Constant time in the token and in which entry matches. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash, hash) & found == null) {
                found = entry.caller;
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return entries.size() + " access token" + (entries.size() == 1 ? "" : "s");
    }

    private record Entry(Caller caller, byte[] hash) {
    }

    /** What a permission allows. */
    public enum Access {
        READ,
        WRITE
    }

    /** {@code read:PREFIX} or {@code write:PREFIX}; {@code *} covers every stream, system streams included. */
    public record Permission(Access access, String prefix) {

        static Permission parse(String text, String where) {
            int colon = text.indexOf(':');
            String kind = colon < 0 ? text : text.substring(0, colon);
            String prefix = colon < 0 ? "" : text.substring(colon + 1);
            Access access = switch (kind) {
                case "read" -> Access.READ;
                case "write" -> Access.WRITE;
                default -> throw new ValidationException(where + " permission", text, "must be read:PREFIX or write:PREFIX");
            };
            if (!PREFIX.matcher(prefix).matches()) {
                throw new ValidationException(where + " permission", text,
                        "must have a PREFIX of stream-name characters (or * for every stream) after the colon");
            }
            return new Permission(access, prefix);
        }

        boolean covers(String name) {
            return prefix.equals("*") || name.startsWith(prefix);
        }

        @Override
        public String toString() {
            return access.name().toLowerCase(java.util.Locale.ROOT) + ":" + prefix;
        }
    }

    /** An authenticated caller: the token's name and permissions. */
    public record Caller(String name, List<Permission> permissions) {

        public boolean canRead(String stream) {
            return allows(Access.READ, stream);
        }

        public boolean canWrite(String stream) {
            return allows(Access.WRITE, stream);
        }

        /** Every stream of the category starts with the category's name, so a prefix of the name covers them all. */
        public boolean canReadCategory(String category) {
            return allows(Access.READ, category);
        }

        /** The whole log: needs {@code read:*}. */
        public boolean canReadAll() {
            return permissions.stream().anyMatch(p -> p.access() == Access.READ && p.prefix().equals("*"));
        }

        private boolean allows(Access access, String name) {
            return permissions.stream().anyMatch(p -> p.access() == access && p.covers(name));
        }
    }
}
