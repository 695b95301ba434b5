package io.jcompose.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The wall-clock budget of one test class. Without it a class gets {@link ClassTimes#DEFAULT_PURE_SECONDS}, or
 * {@link ClassTimes#DEFAULT_INTEGRATION_SECONDS} when tagged "integration". {@link ClassTimes} reports classes
 * over budget and test.sh fails the run for them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TimeBudget {
    int seconds();
}
