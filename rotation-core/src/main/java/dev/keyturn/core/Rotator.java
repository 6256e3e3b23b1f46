package dev.keyturn.core;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Runs one step of a rotation: checks the event and the secret's versions, runs the step, and writes
 * the step's start, end and metric lines. One instance serves every invocation of a container.
 */
public final class Rotator {
    private final SecretsManagerClient client;
    private final Settings settings;
    private final LogSink sink;
    private final List<DatabaseEngine> engines;

    public Rotator(SecretsManagerClient client, Settings settings, LogSink sink, List<DatabaseEngine> engines) {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("a rotator needs at least one engine");
        }
        this.client = client;
        this.settings = settings;
        this.sink = sink;
        this.engines = List.copyOf(engines);
    }

    /**
     * Runs the step the event names.
     *
     * @param requestId the Lambda request id, carried on every log line; may be null
     * @throws RotationException when the step cannot complete; Secrets Manager then retries the rotation
     */
    public void rotate(SecretsManagerRotationEvent event, String requestId) {
        String secretId = event == null ? null : event.getSecretId();
        String stepName = event == null ? null : event.getStep();
        String token = event == null ? null : event.getClientRequestToken();
        RotationLog log = RotationLog.to(sink)
                .with("secretId", secretId)
                .with("step", stepName)
                .with("clientRequestToken", token)
                .with("requestId", requestId);
        StepCounters counters = new StepCounters();
        StepRun run = new StepRun(new SecretStore(client, counters), settings, engines, log, counters);
        long started = System.nanoTime();
        log.info("step started", "strategy", settings.strategy().settingValue());
        try {
            RotationStep step = checkEvent(secretId, stepName, token);
            String outcome = run.run(step, secretId, token, event.getRotationToken());
            long millis = elapsedMillis(started);
            log.info("step finished", "outcome", outcome, "durationMs", millis, "databaseLogins", counters.logins(),
                    "failedLogins", counters.failedLogins(), "secretsManagerCalls", counters.secretsManagerCalls());
            metrics(log, run, step, false, millis, counters);
        } catch (RotationException e) {
            e.attach(secretId, stepName);
            fail(log, run, stepName, started, counters, e);
            throw e;
        } catch (RuntimeException e) {
            // the type only: an unexpected exception's message has not been checked for secret values,
            // and the runtime logs the whole cause chain, so the cause is a scrubbed copy
            RotationException wrapped = new RotationException("unexpected " + e.getClass().getName()
                    + ". This is a defect; report it with the log lines of this rotation.", run.scrubbed(e));
            wrapped.attach(secretId, stepName);
            fail(log, run, stepName, started, counters, wrapped);
            throw wrapped;
        }
    }

    private void fail(RotationLog log, StepRun run, String stepName, long started, StepCounters counters,
            RotationException e) {
        long millis = elapsedMillis(started);
        log.error("step failed", "error", e.getMessage(), "errorType", e.getClass().getSimpleName(),
                "durationMs", millis, "databaseLogins", counters.logins(), "failedLogins", counters.failedLogins(),
                "secretsManagerCalls", counters.secretsManagerCalls());
        RotationStep.fromWireName(stepName).ifPresent(step -> metrics(log, run, step, true, millis, counters));
    }

    private static void metrics(RotationLog log, StepRun run, RotationStep step, boolean failed, long millis,
            StepCounters counters) {
        log.raw(StepMetrics.line(run.engineName(), step, failed, millis, counters));
    }

    private static RotationStep checkEvent(String secretId, String stepName, String token) {
        if (secretId == null || secretId.isBlank()) {
            throw new InvalidSecretException("the event has no SecretId. The function must be invoked by Secrets "
                    + "Manager rotation, or with an event that has Step, SecretId and ClientRequestToken.");
        }
        if (token == null || token.isBlank()) {
            throw new InvalidSecretException("the event has no ClientRequestToken. The function must be invoked by "
                    + "Secrets Manager rotation, or with an event that has Step, SecretId and ClientRequestToken.");
        }
        return RotationStep.fromWireName(stepName).orElseThrow(() -> new InvalidSecretException("the event's Step is '"
                + stepName + "'; expected createSecret, setSecret, testSecret or finishSecret."));
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
