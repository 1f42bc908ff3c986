package dev.userpipeline.bench;

import java.util.List;
import java.util.Locale;

/**
 * An SVG chart of latency against rate: log-scaled axes, one line per percentile. Plain SVG, so it
 * renders on GitHub and in any browser with nothing installed.
 */
final class LatencyPlot {

    /** Latency percentiles measured at one rate (users/s), in milliseconds. */
    record Point(double rate, long p50, long p95, long p99, long max) {
    }

    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private LatencyPlot() {
    }

    static String svg(String title, List<Point> points) {
        double minRate = points.stream().mapToDouble(Point::rate).min().orElse(1);
        double maxRate = points.stream().mapToDouble(Point::rate).max().orElse(10);
        long maxLatency = points.stream().mapToLong(Point::max).max().orElse(1000);
        long minLatency = points.stream().mapToLong(Point::p50).min().orElse(1);
        double xFrom = Math.floor(Math.log10(Math.max(1, minRate)));
        double xTo = Math.max(xFrom + 1, Math.ceil(Math.log10(Math.max(1, maxRate))));
        double yFrom = Math.floor(Math.log10(Math.max(1, minLatency)));
        double yTo = Math.max(yFrom + 1, Math.ceil(Math.log10(Math.max(10, maxLatency))));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        for (double d = xFrom; d <= xTo; d++) {
            double x = LEFT + (d - xFrom) / (xTo - xFrom) * plotW;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,.0f</text>%n", x, TOP + plotH + 18, Math.pow(10, d)));
        }
        for (double d = yFrom; d <= yTo; d++) {
            double y = TOP + plotH - (d - yFrom) / (yTo - yFrom) * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, LEFT + plotW, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, millis(Math.pow(10, d))));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, TOP, plotW, plotH));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">users/s (log scale)</text>%n", LEFT + plotW / 2, HEIGHT - 15));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">latency, fetch to Cassandra (log scale)</text>%n",
                TOP + plotH / 2, TOP + plotH / 2));
        String[] names = {"p50", "p95", "p99", "max"};
        String[] colours = {"#1f77b4", "#ff7f0e", "#d62728", "#7f7f7f"};
        for (int series = 0; series < names.length; series++) {
            StringBuilder path = new StringBuilder();
            for (Point p : points) {
                long value = switch (series) {
                    case 0 -> p.p50();
                    case 1 -> p.p95();
                    case 2 -> p.p99();
                    default -> p.max();
                };
                double x = LEFT + (Math.log10(Math.max(1, p.rate())) - xFrom) / (xTo - xFrom) * plotW;
                double y = TOP + plotH - (Math.log10(Math.max(1, value)) - yFrom) / (yTo - yFrom) * plotH;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, colours[series]));
            }
            svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, colours[series]));
            int ly = TOP + 10 + series * 20;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    LEFT + plotW + 15, ly, LEFT + plotW + 40, ly, colours[series]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 46, ly + 4, names[series]));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String millis(double ms) {
        return ms >= 1000 ? String.format(Locale.ROOT, "%,.0f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
