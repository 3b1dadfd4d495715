package dev.strata.eventstore.internal.index;

/** Where the sections of streams and categories are: what stream and category reads look up. */
public interface Sections {

    /** Visits a stream's sections that hold versions from {@code fromVersion} on (forward) or down from it (backward). */
    void sections(String stream, long fromVersion, boolean forward, StreamIndex.SectionVisitor visitor);

    /** Visits the sections of {@code category} from the one holding {@code fromPosition} on. */
    void categorySections(String category, long fromPosition, StreamIndex.SectionVisitor visitor);

    /** The stream's last section, or null if it has none. */
    StreamIndex.Section lastSection(String stream);
}
