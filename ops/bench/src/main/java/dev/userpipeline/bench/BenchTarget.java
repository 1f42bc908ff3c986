package dev.userpipeline.bench;

import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.StackListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What a benchmark runs against and reports to: the stack's settings, the checkout (whose
 * {@code bench/results} it writes), where its figures are printed, and how the progress of a start is shown.
 */
public record BenchTarget(Settings settings, Path root, PrintWriter out, Function<List<String>, StackListener> progress) {
}
