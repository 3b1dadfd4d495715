package dev.strata.bench.report;

import dev.strata.bench.load.Latency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hand-written SVG charts (no dependency, readable in a diff, shown by any browser and by GitHub):
 * <ul>
 *   <li>{@link #bars}: one horizontal bar per row, grouped by scenario, the median with a whisker from min to max,
 *       on a logarithmic axis (the systems compared span four orders of magnitude);</li>
 *   <li>{@link #latency}: one line per row across p50 ... max, logarithmic microseconds.</li>
 * </ul>
 */
public final class SvgCharts {

    private static final int WIDTH = 960;
    private static final int LABEL = 330;
    private static final int RIGHT = 110;
    private static final int BAR = 16;
    private static final int GAP = 6;
    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"};

    private SvgCharts() {
    }

    /** A bar chart of a section's rows (medians, min-max whiskers), or null if nothing is positive. */
    public static String bars(Section section) {
        List<Row> positive = section.rows().stream().filter(r -> r.stats().runs() > 0 && r.stats().max() > 0).toList();
        if (positive.isEmpty()) {
            return null;
        }
        String unit = positive.get(0).unit(); // one axis, one unit: rows in another unit (a rebuild's seconds) stay in the table
        List<Row> rows = positive.stream().filter(r -> r.unit().equals(unit)).toList();
        // the axis starts at the decade below the smallest positive figure (a run that measured 0 gets a whisker to the edge)
        double low = rows.stream().flatMap(r -> r.values().stream()).filter(v -> v > 0).mapToDouble(Double::doubleValue).min().orElse(1);
        double high = rows.stream().mapToDouble(r -> r.stats().max()).max().orElse(10);
        double from = Math.pow(10, Math.floor(Math.log10(low)));
        double to = Math.pow(10, Math.ceil(Math.log10(high * 1.0001)));
        if (to <= from) {
            to = from * 10;
        }
        Map<String, String> colors = colors(rows);
        int plot = WIDTH - LABEL - RIGHT;
        List<String> scenarios = new ArrayList<>();
        rows.forEach(r -> {
            if (!scenarios.contains(r.scenario())) {
                scenarios.add(r.scenario());
            }
        });
        int top = 48;
        int height = top + rows.size() * (BAR + GAP) + scenarios.size() * 22 + 40;
        StringBuilder svg = header(WIDTH, height, section.title(), unit + ", median of runs with min-max whiskers, log scale");
        int y = top;
        double logFrom = Math.log10(from);
        double span = Math.log10(to) - logFrom;
        int axisTop = top;
        for (String scenario : scenarios) {
            svg.append(text(8, y + 14, scenario, "bold", "start", 13));
            y += 22;
            for (Row row : rows) {
                if (!row.scenario().equals(scenario)) {
                    continue;
                }
                Stats stats = row.stats();
                double x0 = LABEL;
                double xm = LABEL + plot * (Math.log10(Math.max(stats.median(), from)) - logFrom) / span;
                double xmin = LABEL + plot * (Math.log10(Math.max(stats.min(), from)) - logFrom) / span;
                double xmax = LABEL + plot * (Math.log10(Math.max(stats.max(), from)) - logFrom) / span;
                svg.append(text(LABEL - 8, y + BAR - 3, row.system(), "normal", "end", 12));
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", x0, y,
                        Math.max(1, xm - x0), BAR, colors.get(row.system())));
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\" stroke-width=\"1.5\"/>%n",
                        xmin, y + BAR / 2, xmax, y + BAR / 2));
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\"/>%n", xmin, y + 3, xmin, y + BAR - 3));
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\"/>%n", xmax, y + 3, xmax, y + BAR - 3));
                svg.append(text((int) xmax + 6, y + BAR - 3, ReportWriter.number(stats.median()), "normal", "start", 11));
                y += BAR + GAP;
            }
        }
        for (long decade = Math.round(logFrom); decade <= Math.round(Math.log10(to)); decade++) {
            double tick = Math.pow(10, decade);
            double x = LABEL + plot * (Math.log10(tick) - logFrom) / span;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\" stroke-dasharray=\"3,3\"/>%n",
                    x, axisTop, x, y));
            svg.append(text((int) x, y + 16, ReportWriter.shortNumber(tick), "normal", "middle", 11));
        }
        return svg.append("</svg>\n").toString();
    }

    /** A line per row of latency percentiles (medians over runs), or null if no row has latency. */
    public static String latency(Section section) {
        List<Row> rows = section.rows().stream().filter(Row::hasLatency).toList();
        if (rows.isEmpty()) {
            return null;
        }
        double low = Double.MAX_VALUE;
        double high = 0;
        for (Row row : rows) {
            for (Stats stats : row.latencyStats()) {
                if (stats.runs() > 0) {
                    low = Math.min(low, Math.max(stats.median(), 0.1));
                    high = Math.max(high, stats.median());
                }
            }
        }
        double from = Math.pow(10, Math.floor(Math.log10(low)));
        double to = Math.pow(10, Math.ceil(Math.log10(Math.max(high, from * 10) * 1.0001)));
        boolean oneScenario = rows.stream().map(Row::scenario).distinct().count() == 1;
        int longest = rows.stream().mapToInt(r -> label(r, oneScenario).length()).max().orElse(10);
        int left = 70;
        int plotWidth = 600;
        int top = 48;
        int plotHeight = 360;
        int width = left + plotWidth + 50 + longest * 7;
        int height = Math.max(top + plotHeight + 60, top + 20 + rows.size() * 18);
        StringBuilder svg = header(width, height, section.title(), "microseconds, median of runs per percentile, log scale"
                + (oneScenario ? "; " + rows.get(0).scenario() : ""));
        double logFrom = Math.log10(from);
        double span = Math.log10(to) - logFrom;
        for (long decade = Math.round(logFrom); decade <= Math.round(Math.log10(to)); decade++) {
            double tick = Math.pow(10, decade);
            double y = top + plotHeight - plotHeight * (Math.log10(tick) - logFrom) / span;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ccc\" stroke-dasharray=\"3,3\"/>%n",
                    left, y, left + plotWidth, y));
            svg.append(text(left - 6, (int) y + 4, ReportWriter.shortNumber(tick) + " us", "normal", "end", 11));
        }
        String[] names = Latency.PERCENTILE_NAMES;
        for (int p = 0; p < names.length; p++) {
            int x = left + plotWidth * p / (names.length - 1);
            svg.append(text(x, top + plotHeight + 18, names[p], "normal", "middle", 12));
        }
        Map<String, String> colors = colors(rows);
        int legendY = top + 10;
        for (Row row : rows) {
            String color = colors.get(row.system());
            StringBuilder points = new StringBuilder();
            Stats[] stats = row.latencyStats();
            for (int p = 0; p < stats.length; p++) {
                if (stats[p].runs() == 0) {
                    continue;
                }
                int x = left + plotWidth * p / (names.length - 1);
                double y = top + plotHeight - plotHeight * (Math.log10(Math.max(stats[p].median(), from)) - logFrom) / span;
                points.append(String.format(Locale.ROOT, "%d,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, color));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().trim(), color));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>%n", left + plotWidth + 20, legendY - 4, color));
            svg.append(text(left + plotWidth + 40, legendY + 2, label(row, oneScenario), "normal", "start", 12));
            legendY += 18;
        }
        return svg.append("</svg>\n").toString();
    }

    private static String label(Row row, boolean oneScenario) {
        return oneScenario || row.scenario().isEmpty() ? row.system() : row.system() + " (" + row.scenario() + ")";
    }

    private static Map<String, String> colors(List<Row> rows) {
        Map<String, String> colors = new LinkedHashMap<>();
        for (Row row : rows) {
            colors.computeIfAbsent(row.system(), s -> PALETTE[colors.size() % PALETTE.length]);
        }
        return colors;
    }

    private static StringBuilder header(int width, int height, String title, String subtitle) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(text(8, 20, title, "bold", "start", 15));
        svg.append(text(8, 38, subtitle, "normal", "start", 12));
        return svg;
    }

    private static String text(int x, int y, String content, String weight, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\" text-anchor=\"%s\">%s</text>%n",
                x, y, size, weight, anchor, escape(content));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
