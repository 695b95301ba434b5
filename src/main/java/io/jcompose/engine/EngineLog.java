package io.jcompose.engine;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The engine's log: {@code <root>/engine.log}, one line per record, appended with O_APPEND so a detached engine's
 * stdout/stderr (redirected to the same file by {@link EngineLauncher}) interleave without clobbering.
 * Every engine package logs through java.util.logging under {@code io.jcompose.engine}; this wires that tree.
 */
final class EngineLog implements AutoCloseable {
    static final String FILE = "engine.log";
    static final String LOGGER = "io.jcompose.engine";

    private final Logger logger = Logger.getLogger(LOGGER);
    private final Handler file;
    private final Handler stderr;

    private EngineLog(Handler file, Handler stderr) {
        this.file = file;
        this.stderr = stderr;
    }

    static EngineLog open(Path root, Level level, boolean alsoStderr) throws IOException {
        Handler file = new StreamHandler(new FileOutputStream(root.resolve(FILE).toFile(), true));
        Handler err = alsoStderr ? new StreamHandler(System.err) : null;
        EngineLog log = new EngineLog(file, err);
        log.logger.setUseParentHandlers(false);
        log.logger.setLevel(level);
        for (Handler h : log.logger.getHandlers()) log.logger.removeHandler(h);
        file.setLevel(level);
        log.logger.addHandler(file);
        if (err != null) {
            err.setLevel(level);
            log.logger.addHandler(err);
        }
        return log;
    }

    @Override
    public void close() {
        logger.removeHandler(file);
        file.close();
        if (stderr != null) {
            logger.removeHandler(stderr);
            stderr.flush();
        }
    }

    /** "2026-11-23T05:01:02.345Z INFO  api-3 ApiServer: message", then the stack trace if any. */
    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            StringBuilder sb = new StringBuilder(128);
            sb.append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(String.format("%-5s", levelName(r.getLevel()))).append(' ')
                    .append(Thread.currentThread().getName()).append(' ')
                    .append(shortName).append(": ").append(formatMessage(r)).append('\n');
            if (r.getThrown() != null) {
                StringWriter w = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(w));
                sb.append(w);
            }
            return sb.toString();
        }

        static String levelName(Level l) {
            if (l.intValue() >= Level.SEVERE.intValue()) return "ERROR";
            if (l.intValue() >= Level.WARNING.intValue()) return "WARN";
            if (l.intValue() >= Level.INFO.intValue()) return "INFO";
            return "DEBUG";
        }
    }

    /** Writes each record in one write call and flushes: a crash loses nothing already logged. */
    private static final class StreamHandler extends Handler {
        private final OutputStream out;
        private final boolean own;

        StreamHandler(OutputStream out) {
            this.out = out;
            this.own = out != System.err;
            setFormatter(new LineFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (!isLoggable(record)) return;
            try {
                out.write(getFormatter().format(record).getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                reportError("cannot write the engine log", e, java.util.logging.ErrorManager.WRITE_FAILURE);
            }
        }

        @Override
        public synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                reportError("cannot flush the engine log", e, java.util.logging.ErrorManager.FLUSH_FAILURE);
            }
        }

        @Override
        public synchronized void close() {
            flush();
            if (own) {
                try {
                    out.close();
                } catch (IOException e) {
                    reportError("cannot close the engine log", e, java.util.logging.ErrorManager.CLOSE_FAILURE);
                }
            }
        }
    }
}
