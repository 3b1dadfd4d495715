package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written name checks accept exactly what the documented patterns accept. */
class NamesProperties {

    private static final Pattern STREAM = Pattern.compile(StreamNames.PATTERN);
    private static final Pattern TYPE = Pattern.compile(EventData.TYPE_RULE);
    private static final Pattern KEY = Pattern.compile("[a-z0-9]{1,20}");
    private static final Pattern MEDIA = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}( *;[ -~]{1,120})?");

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09._:@-$/+!#&^; \u00e9\u0000/").ofMinLength(0).ofMaxLength(12),
                Arbitraries.strings().withChars("abc-").ofMinLength(195).ofMaxLength(205),
                Arbitraries.of("order-1", "-x", "a/b", "application/json", "text/plain; charset=utf-8", "a/b ;x", "a/;x", "/x",
                        "application/cloudevents+json", "x;y", "a/b;"));
    }

    @Property(tries = 3000)
    void streamNames(@ForAll("names") String name) {
        assertThat(Names.matches(name, 200, "._:@-")).isEqualTo(STREAM.matcher(name).matches());
    }

    @Property(tries = 3000)
    void eventTypes(@ForAll("names") String name) {
        assertThat(Names.matches(name, 200, "._:$/+-")).isEqualTo(TYPE.matcher(name).matches());
    }

    @Property(tries = 3000)
    void metadataKeys(@ForAll("names") String name) {
        assertThat(Names.isExtensionName(name)).isEqualTo(KEY.matcher(name).matches());
    }

    @Property(tries = 3000)
    void mediaTypes(@ForAll("names") String name) {
        assertThat(Names.isMediaType(name)).as(name).isEqualTo(MEDIA.matcher(name).matches());
    }
}
