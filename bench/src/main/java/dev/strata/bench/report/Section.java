package dev.strata.bench.report;

import java.util.List;

/** A table of the report: what was compared, how, and the rows. */
public record Section(String id, String title, String description, List<Row> rows) {
}
