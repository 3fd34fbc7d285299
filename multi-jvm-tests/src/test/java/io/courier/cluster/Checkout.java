package io.courier.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the checkout the tests run from, and where they keep the processes' logs. */
final class Checkout {

    private Checkout() {
    }

    /** The nearest directory at or above the working directory holding {@code bin/courier} and a pom. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("bin/courier")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no bin/courier at or above " + dir);
    }

    /** {@code bin/courier}, after checking that the jar it will run (COURIER_NO_BUILD=1) exists. */
    static Path launcher() {
        Path root = root();
        if (!Files.isRegularFile(root.resolve("app/target/courier-app.jar")) || !Files.isDirectory(root.resolve("app/target/lib"))) {
            throw new IllegalStateException("app/target/courier-app.jar or its lib/ is missing: run these tests in `mvn verify`");
        }
        return root.resolve("bin/courier");
    }

    /** Where process logs go: {@code multi-jvm-tests/target/cluster-logs/<name>}, created. */
    static Path logs(String name) {
        String base = System.getProperty("courier.cluster.logs", root().resolve("multi-jvm-tests/target/cluster-logs").toString());
        Path dir = Path.of(base, name);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }
}
