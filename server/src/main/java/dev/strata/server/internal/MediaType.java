package dev.strata.server.internal;

import java.util.Locale;

/** The media type of a {@code Content-Type} header: type/subtype in lower case, and the charset if it names one. */
record MediaType(String essence, String charset) {

    static MediaType parse(String header) {
        if (header == null) {
            return new MediaType("", null);
        }
        String[] parts = header.split(";");
        String essence = parts[0].strip().toLowerCase(Locale.ROOT);
        String charset = null;
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("charset")) {
                charset = parameter.substring(equals + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return new MediaType(essence, charset);
    }

    /** JSON is UTF-8 (RFC 8259): any other declared charset is refused rather than misread. */
    boolean isUtf8() {
        return charset == null || charset.equals("utf-8") || charset.equals("utf8");
    }
}
