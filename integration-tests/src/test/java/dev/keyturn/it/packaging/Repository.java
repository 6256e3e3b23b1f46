package dev.keyturn.it.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in, found from the module directory Maven runs them in. */
final class Repository {
    private static Path root;

    private Repository() {
    }

    static synchronized Path root() {
        if (root == null) {
            root = find();
        }
        return root;
    }

    static SamTemplate template() {
        return SamTemplate.read(root().resolve("template.yaml"));
    }

    private static Path find() {
        String configured = System.getProperty("keyturn.root", System.getProperty("user.dir"));
        Path start = Path.of(configured).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRepositoryRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("no template.yaml in " + start + " or above it; run the tests "
                + "from the repository with ./mvnw");
    }

    private static boolean isRepositoryRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("mvnw"));
    }
}
