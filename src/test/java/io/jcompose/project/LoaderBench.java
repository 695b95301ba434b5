package io.jcompose.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Not a test: warm in-process load time of the largest corpus Compose file (run by bench/loader.sh with the test
 * classpath). Uses the real stages; while some are unfinished it falls back to the input stages with stand-ins and
 * says so in its output.
 *
 * <p>Usage: {@code LoaderBench CORPUS_ROOT [warmup] [iterations]}
 */
public final class LoaderBench {
    private LoaderBench() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("jcompose.corpus", args.length > 0 ? args[0] : "../shared/corpus");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        Path file = CorpusFiles.all().stream().map(r -> Corpus.root().resolve(r))
                .max(Comparator.comparingLong(LoaderBench::size)).orElseThrow();
        String text = Files.readString(file);
        ProjectLoader loader = new ProjectLoader();
        String stages = "real";
        try {
            loader.load(CorpusFiles.options(file, text));
        } catch (UnsupportedOperationException e) {
            loader = StandInStages.loader();
            stages = "input stages only (" + e.getMessage() + ")";
        }
        for (int i = 0; i < warmup; i++) loader.load(CorpusFiles.options(file, text));
        long[] ns = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            loader.load(CorpusFiles.options(file, text));
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        double mean = Arrays.stream(ns).average().orElse(0) / 1000.0;
        System.out.printf("file=%s bytes=%d stages=%s%nwarm load: mean=%.1f us p50=%.1f us p90=%.1f us (n=%d after %d warm-up)%n",
                Corpus.root().relativize(file), size(file), stages, mean, ns[iterations / 2] / 1000.0,
                ns[iterations * 9 / 10] / 1000.0, iterations, warmup);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
