package io.courier.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/conformance.md honest: every ledger row that names a test as {@code Class#method}
 * must point at a test source file under some module's src/test tree that declares that method
 * and mentions the row's statement id.
 */
class ConformanceLedgerTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*(MQTT-\\d+\\.\\d+\\.\\d+-\\d+)\\s*\\|.*\\|\\s*([^|]*?)\\s*\\|\\s*$");
    private static final Pattern TEST_REF = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)#([A-Za-z_][A-Za-z0-9_]*)");

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("docs"))
                    && Files.isRegularFile(dir.resolve("docs/conformance.md"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root with pom.xml and docs/conformance.md above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, List<Path>> testSourcesByClass(Path root) throws IOException {
        Map<String, List<Path>> byClass = new HashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().replace('\\', '/').contains("/src/test/"))
                    .filter(p -> !p.toString().replace('\\', '/').contains("/target/"))
                    .forEach(p -> {
                        String name = p.getFileName().toString();
                        byClass.computeIfAbsent(name.substring(0, name.length() - 5), k -> new ArrayList<>()).add(p);
                    });
        }
        return byClass;
    }

    @Test
    @DisplayName("every Class#method named in docs/conformance.md exists and cites the statement id")
    void ledgerMatchesTests() throws IOException {
        Path root = repositoryRoot();
        List<String> lines = Files.readAllLines(root.resolve("docs/conformance.md"), StandardCharsets.UTF_8);
        Map<String, List<Path>> sources = testSourcesByClass(root);
        Map<Path, String> cache = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int references = 0;
        for (String line : lines) {
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                continue;
            }
            String id = row.group(1);
            Matcher ref = TEST_REF.matcher(row.group(2));
            while (ref.find()) {
                references++;
                String cls = ref.group(1);
                String method = ref.group(2);
                List<Path> candidates = sources.getOrDefault(cls, List.of());
                if (candidates.isEmpty()) {
                    problems.add(id + ": no test source for class " + cls);
                    continue;
                }
                Pattern declaration = Pattern.compile("\\b" + Pattern.quote(method) + "\\s*\\(");
                boolean ok = false;
                for (Path p : candidates) {
                    String text = cache.computeIfAbsent(p, ConformanceLedgerTest::read);
                    if (declaration.matcher(text).find() && text.contains("[" + id + "]")) {
                        ok = true;
                        break;
                    }
                }
                if (!ok) {
                    problems.add(id + ": " + cls + "#" + method + " is missing, or its file does not cite [" + id + "]");
                }
            }
        }
        assertTrue(references > 0, "the ledger names no tests at all: is the table format still parsed?");
        assertFalse(!problems.isEmpty(), "ledger out of step with tests:\n" + String.join("\n", problems));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
