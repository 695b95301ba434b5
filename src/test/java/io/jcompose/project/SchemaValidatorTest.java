package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code src/test/resources/schema/<case>/compose.yaml} against the schema. {@code error.txt} holds every violation,
 * one per line, first line being what {@link SchemaValidator#validate} throws; a case without it must be valid.
 */
class SchemaValidatorTest {
    private final SchemaValidator validator = new SchemaValidator();

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        List<Path> cases = Golden.cases("schema");
        assertThat(cases).hasSizeGreaterThan(5);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            Node tree = new YamlReader().read("compose.yaml", Golden.read(dir.resolve("compose.yaml")));
            List<ComposeFileException> errors = validator.violations(tree);
            Path golden = dir.resolve("error.txt");
            boolean expectValid = !Files.exists(golden) && !Boolean.getBoolean("jcompose.updateGolden");
            if (expectValid || (errors.isEmpty() && !Files.exists(golden))) {
                assertThat(errors).as(dir + " must be valid").isEmpty();
                return;
            }
            Golden.assertGolden(golden, errors.stream().map(Throwable::getMessage).collect(Collectors.joining("\n", "", "\n")));
        }));
    }

    @Test
    void validateThrowsTheFirstViolationInDocumentOrder() {
        Node tree = new YamlReader().read("c.yaml", "services:\n  web:\n    imagee: x\n    ports: 3\n");
        assertThatThrownBy(() -> validator.validate(tree))
                .isInstanceOf(ComposeFileException.class)
                .hasMessage("c.yaml:3:5: services.web: additional property \"imagee\" is not allowed")
                .satisfies(e -> assertThat(((ComposeFileException) e).specPath()).isEqualTo("services.web"));
    }

    @Test
    void scalarsAreTypedAsYamlResolvedThem() {
        Node tree = new YamlReader().read("c.yaml", "services:\n  web:\n    image: x\n    deploy:\n      replicas: 3\n    cpus: 1.5\n    privileged: true\n    tty: maybe\n");
        assertThat(validator.violations(tree)).hasSize(1).first().extracting(Throwable::getMessage)
                .isEqualTo("c.yaml:8:10: services.web.tty: \"maybe\" is not a boolean (write true or false)");
        assertThat(LocatedJson.parseInt("0x10")).isEqualTo(16);
        assertThat(LocatedJson.parseInt("-0o17")).isEqualTo(-15);
        assertThat(LocatedJson.parseInt("1_000")).isEqualTo(1000);
        assertThat(LocatedJson.parseInt("12abc")).isNull();
    }

    @Test
    void compiledSchemaIsCachedAndCheap() {
        long ms = SchemaValidator.compileMillis();
        System.out.println("schema compile (cold, this JVM): " + ms + " ms");
        assertThat(ms).isLessThan(5_000);
        long t0 = System.nanoTime();
        validator.violations(new YamlReader().read("c.yaml", "services:\n  web:\n    image: x\n"));
        System.out.println("validate small file (warm): " + (System.nanoTime() - t0) / 1000 + " us");
        assertThat(SchemaValidator.compileMillis()).isEqualTo(ms);
    }
}
