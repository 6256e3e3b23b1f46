package dev.keyturn.core;

/** What one step cost: counted as the calls happen, for the metric line and the step's end log. */
final class StepCounters {
    private int logins;
    private int failedLogins;
    private int secretsManagerCalls;

    void login(boolean succeeded) {
        logins++;
        if (!succeeded) {
            failedLogins++;
        }
    }

    /** An attempt the server did not judge: unreachable, a TLS failure, a locked account. */
    void attemptWithoutAnswer() {
        logins++;
    }

    void secretsManagerCall() {
        secretsManagerCalls++;
    }

    int logins() {
        return logins;
    }

    int failedLogins() {
        return failedLogins;
    }

    int secretsManagerCalls() {
        return secretsManagerCalls;
    }
}
