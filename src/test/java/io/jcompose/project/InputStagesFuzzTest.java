package io.jcompose.project;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer of {@link LoaderFuzzTest}, always on, against the stages this package already has (reading,
 * interpolation, discovery, name, environment) with stand-ins for the rest: a small, fast budget.
 */
class InputStagesFuzzTest {
    @Test
    void inputStagesSurviveMutants() throws IOException {
        LoaderFuzzTest.fuzz(StandInStages::loader, Integer.getInteger("jcompose.fuzz.inputCases", 200));
    }
}
