package io.jcompose.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One docker compose e2e scenario (a {@code ## TestX} entry of the corpus' SCENARIOS.md) as a JUnit test. The
 * value is the upstream test name; it names the fixture ({@code e2e/testdata/<value>/}), the row in
 * docs/e2e-status.md and the line in known-failures.txt. The test method takes a {@link Scenario} parameter.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
@Tag("integration")
@Tag("e2e")
@ExtendWith(ScenarioExtension.class)
@interface ComposeScenario {
    String value();
}
