package dev.keyturn.core.testing;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.keyturn.core.LogSink;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Keeps every line the rotations under test write, so that tests can read them and check for leaks. */
public final class CapturingLogSink implements LogSink {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(LogLevel level, String jsonLine) {
        lines.add(jsonLine);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String all() {
        return lines.stream().collect(Collectors.joining("\n"));
    }
}
