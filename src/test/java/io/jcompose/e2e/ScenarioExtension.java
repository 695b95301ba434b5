package io.jcompose.e2e;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Runs {@link ComposeScenario} methods: hands each a fresh {@link Scenario} (closed after the test, pass or fail),
 * and applies known-failures.txt — a listed scenario that fails is reported as aborted with its reason; one that
 * passes fails, so it gets taken off the list and marked {@code pass} in docs/e2e-status.md.
 */
final class ScenarioExtension implements ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ScenarioExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        return p.getParameter().getType() == Scenario.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        String name = scenarioName(ctx.getRequiredTestMethod());
        Scenario s = Scenario.start(name);
        // The store closes it (AutoCloseable) after the test method, whatever the outcome.
        ctx.getStore(NS).put("scenario", s);
        return s;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ctx)
            throws Throwable {
        String name = scenarioName(call.getExecutable());
        run(name, Optional.ofNullable(KnownFailures.load().get(name)), invocation::proceed);
    }

    interface Body {
        void run() throws Throwable;
    }

    /**
     * Runs a scenario's body. Not a known failure: as it is. A known failure ({@code known} = its reason): a failure
     * becomes an abort that quotes the reason and this run's first line; a pass is an error, so the list cannot rot.
     * An abort (missing infrastructure off CI) stays an abort.
     */
    static void run(String name, Optional<String> known, Body body) throws Throwable {
        if (known.isEmpty()) {
            body.run();
            return;
        }
        try {
            body.run();
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable t) {
            throw new TestAbortedException("known failure (" + known.get() + "); this run: " + firstLine(t), t);
        }
        throw new AssertionError(name + " is listed in src/test/resources" + KnownFailures.RESOURCE + " (" + known.get()
                + ") but passed: remove it from the list and mark it pass in docs/e2e-status.md");
    }

    static String scenarioName(Method m) {
        ComposeScenario a = m.getAnnotation(ComposeScenario.class);
        if (a == null) throw new IllegalStateException(m + " lacks @ComposeScenario");
        return a.value();
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
