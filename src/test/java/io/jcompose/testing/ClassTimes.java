package io.jcompose.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-class wall-clock times and budgets, registered through META-INF/services so every JUnit run (surefire,
 * IDE) records them. At the end it writes target/test-times.txt, slowest first; lines of classes over their
 * {@link TimeBudget} start with "OVER BUDGET" and test.sh fails the run on them.
 */
public final class ClassTimes implements TestExecutionListener {
    public static final int DEFAULT_PURE_SECONDS = 30;
    public static final int DEFAULT_INTEGRATION_SECONDS = 300;

    private record Row(String className, double seconds, int budget, String result) {}

    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    @Override public void executionStarted(TestIdentifier id) {
        if (id.getSource().orElse(null) instanceof ClassSource) started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!(id.getSource().orElse(null) instanceof ClassSource cs)) return;
        Long t0 = started.remove(id.getUniqueId());
        if (t0 == null) return;
        double secs = (System.nanoTime() - t0) / 1e9;
        synchronized (rows) {
            rows.add(new Row(cs.getClassName(), secs, budget(cs.getClassName(), id), result.getStatus().name()));
        }
    }

    static int budget(String className, TestIdentifier id) {
        try {
            TimeBudget b = Class.forName(className, false, Thread.currentThread().getContextClassLoader())
                    .getAnnotation(TimeBudget.class);
            if (b != null) return b.seconds();
        } catch (ClassNotFoundException | LinkageError e) {
            // fall through to the default budget
        }
        boolean integration = id.getTags().stream().map(TestTag::getName).anyMatch("integration"::equals);
        return integration ? DEFAULT_INTEGRATION_SECONDS : DEFAULT_PURE_SECONDS;
    }

    @Override public void testPlanExecutionFinished(TestPlan plan) {
        List<Row> sorted;
        synchronized (rows) {
            sorted = new ArrayList<>(rows);
        }
        sorted.sort(Comparator.comparingDouble(Row::seconds).reversed().thenComparing(Row::className));
        StringBuilder out = new StringBuilder("# per-class wall time (s) / budget (s), slowest first\n");
        double total = 0;
        for (Row r : sorted) {
            total += r.seconds();
            out.append(String.format(Locale.ROOT, "%s%8.2f / %4d  %-10s %s%n",
                    r.seconds() > r.budget() ? "OVER BUDGET " : "", r.seconds(), r.budget(), r.result(), r.className()));
        }
        out.append(String.format(Locale.ROOT, "# %d classes, %.1f s%n", sorted.size(), total));
        Path dir = Path.of(System.getProperty("jcompose.projectDir", "."), "target");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("test-times.txt"), out);
        } catch (IOException e) {
            System.err.println("cannot write test times to " + dir + ": " + e.getMessage());
        }
    }
}
