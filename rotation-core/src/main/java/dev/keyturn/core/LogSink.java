package dev.keyturn.core;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;

/** Where finished log lines go. Each line is one complete JSON object. */
@FunctionalInterface
public interface LogSink {

    void write(LogLevel level, String jsonLine);

    /**
     * The Lambda runtime's own logger. Lines are handed over as bytes so that the runtime passes them
     * through unchanged in both log formats, while still filtering them by {@code AWS_LAMBDA_LOG_LEVEL}.
     */
    static LogSink lambdaRuntime() {
        return (level, line) -> LambdaRuntime.getLogger().log((line + "\n").getBytes(StandardCharsets.UTF_8), level);
    }
}
