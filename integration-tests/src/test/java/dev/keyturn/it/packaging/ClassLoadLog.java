package dev.keyturn.it.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The lines a JVM writes with {@code -Xlog:class+load=info:file=...:tn}, one per loaded class, e.g.
 * {@code [81604470117436ns] java.lang.Object source: shared objects file}.
 */
final class ClassLoadLog {
    private static final Pattern LINE = Pattern.compile("\\[(\\d+)ns\\] (\\S+) source: (.*)");

    /** One loaded class: when, which, and where from (a jar, the JDK's image, the CDS archive, ...). */
    record LoadedClass(long nanos, String name, String source) {
        boolean fromArtifact() {
            return source.contains("-lambda.jar");
        }
    }

    private final List<LoadedClass> classes;

    private ClassLoadLog(List<LoadedClass> classes) {
        this.classes = classes;
    }

    static ClassLoadLog read(Path file) throws IOException {
        return new ClassLoadLog(Files.readAllLines(file).stream()
                .map(ClassLoadLog::parse)
                .flatMap(Optional::stream)
                .collect(Collectors.toList()));
    }

    int loadedBy(long nanos) {
        return (int) classes.stream().filter(loaded -> loaded.nanos() <= nanos).count();
    }

    /** The classes loaded in a span, for finding out what a step pulls in. */
    List<LoadedClass> loadedBetween(long fromNanos, long toNanos) {
        return classes.stream()
                .filter(loaded -> loaded.nanos() > fromNanos && loaded.nanos() <= toNanos)
                .collect(Collectors.toList());
    }

    private static Optional<LoadedClass> parse(String line) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new LoadedClass(Long.parseLong(matcher.group(1)), matcher.group(2), matcher.group(3)));
    }
}
