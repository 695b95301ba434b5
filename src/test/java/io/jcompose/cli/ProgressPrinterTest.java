package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.Action;
import io.jcompose.reconcile.PlanExecutor.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Action start = new Action.StartContainer("web", "demo-web-1", "created");
    private final Action pull = new Action.PullImage("busybox", "missing");

    private String print(ProgressPrinter.Mode mode) {
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true, StandardCharsets.UTF_8), mode);
        p.event(pull, Status.STARTED, "");
        p.event(start, Status.STARTED, "");
        p.event(pull, Status.DONE, "");
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainIsOneLinePerEvent() {
        assertThat(print(ProgressPrinter.Mode.PLAIN)).isEqualTo(
                "Image busybox Pulling\nContainer demo-web-1 Starting\nImage busybox Pulled\n");
    }

    @Test
    void jsonIsOneObjectPerEvent() {
        assertThat(print(ProgressPrinter.Mode.JSON).lines().toList()).last().isEqualTo(
                "{\"action\":\"pull image busybox\",\"resource\":\"image:busybox\",\"status\":\"done\",\"detail\":\"\"}");
    }

    @Test
    void ttyRedrawsEachActionsLineInPlace() {
        String e = "\u001b";
        assertThat(print(ProgressPrinter.Mode.TTY)).isEqualTo(
                "\r" + e + "[2KImage busybox Pulling\n"
                + e + "[1A\r" + e + "[2KImage busybox Pulling\n\r" + e + "[2KContainer demo-web-1 Starting\n"
                + e + "[2A\r" + e + "[2KImage busybox Pulled\n\r" + e + "[2KContainer demo-web-1 Starting\n");
    }
}
