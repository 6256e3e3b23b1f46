package dev.keyturn.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is checked out: Surefire passes it as {@code keyturn.root}. */
final class RepositoryRoot {
    static final String PROPERTY = "keyturn.root";

    private RepositoryRoot() {
    }

    /** The directory holding {@code scripts/test-services}, searched upwards from the property or the working directory. */
    static Path find() {
        String configured = System.getProperty(PROPERTY);
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/test-services"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No scripts/test-services above " + start + ". Run the tests from the "
                + "repository, or pass -D" + PROPERTY + "=<repository root>.");
    }
}
