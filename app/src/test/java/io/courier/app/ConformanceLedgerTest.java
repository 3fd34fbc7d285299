package io.courier.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static final Pattern LISTED = Pattern.compile("^\\|\\s*MQTT-\\d+\\.\\d+\\.\\d+-\\d+\\s*\\|");
    private static final Pattern COUNTS = Pattern.compile(
            "^\\| MQTT (3\\.1\\.1|5\\.0) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+)% \\| (\\d+)% \\|$");

    @Test
    @DisplayName("the Counts table equals what the rows say, percentages rounded down; a not-applicable row gives a reason")
    void countsMatchTheRows() throws IOException {
        List<String> lines = Files.readAllLines(repositoryRoot().resolve("docs/conformance.md"), StandardCharsets.UTF_8);
        Map<String, int[]> counted = new HashMap<>(); // listed, binding a server, not applicable, traced
        Map<String, int[]> stated = new HashMap<>();
        String version = null;
        for (String line : lines) {
            if (line.startsWith("## MQTT 3.1.1")) {
                version = "3.1.1";
            } else if (line.startsWith("## MQTT 5.0")) {
                version = "5.0";
            } else if (line.startsWith("## ")) {
                version = null;
            }
            Matcher counts = COUNTS.matcher(line);
            if (counts.matches()) {
                int[] n = new int[6];
                for (int i = 0; i < 6; i++) {
                    n[i] = Integer.parseInt(counts.group(i + 2));
                }
                stated.put(counts.group(1), n);
                continue;
            }
            if (version == null || !LISTED.matcher(line).find()) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            int[] c = counted.computeIfAbsent(version, k -> new int[4]);
            c[0]++;
            if (cells.length < 4) {
                continue; // the client-only list: statement and paraphrase
            }
            String binds = cells[2].trim();
            String test = cells[3].trim();
            if (!binds.equals("server") && !binds.equals("both")) {
                continue;
            }
            c[1]++;
            if (test.startsWith("n/a")) {
                assertTrue(test.matches("n/a: \\S.{10,}") && !TEST_REF.matcher(test).find(),
                        cells[0].trim() + ": a not-applicable row gives a reason and names no test: " + test);
                c[2]++;
            } else if (TEST_REF.matcher(test).find()) {
                c[3]++;
            }
        }
        for (String v : List.of("3.1.1", "5.0")) {
            int[] c = counted.get(v);
            int[] s = stated.get(v);
            assertTrue(c != null && s != null, "no rows or no Counts line for " + v);
            int[] expected = {c[0], c[1], c[2], c[3], c[3] * 100 / (c[1] - c[2]), c[3] * 100 / c[1]};
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(s), "Counts line for MQTT " + v
                    + " (listed, binding a server, not applicable, traced, % of applicable, % of all)");
        }
    }
}
