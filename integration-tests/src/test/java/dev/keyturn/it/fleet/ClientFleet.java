package dev.keyturn.it.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Application clients that keep opening connections while a rotation runs, as the Secrets Manager
 * caching client and JDBC wrapper do: each client logs in with the AWSCURRENT value it read last,
 * and reads AWSCURRENT again only when the server refuses a login.
 *
 * <p>The test moves the fleet through phases (one per rotation step) with {@link #awaitPhaseQuota}
 * and {@link #nextPhase}: each phase lasts at least until the fleet made {@code quota} login
 * attempts in it, so every state a rotation passes through is seen by real logins, and the rotation
 * steps run while the clients go on logging in. A client makes at most {@code cap} attempts per
 * phase and then waits for the next one, so the loops are bounded by count; each client also stops
 * by itself after {@code maxAttempts} attempts or when {@code deadline} has passed, so a test that
 * fails half way cannot leave threads running. Clients connect only to the test servers on 127.0.0.1.
 */
public final class ClientFleet implements AutoCloseable {
    /** How a client logs in: true when the server accepts, false when it refuses the password. */
    @FunctionalInterface
    public interface Login {
        boolean attempt(Credentials credentials) throws Exception;
    }

    /** How a client reads AWSCURRENT. */
    @FunctionalInterface
    public interface SecretReader {
        Credentials current() throws Exception;
    }

    /** A user name and password as read from the secret; the password is kept out of toString. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", password=****]";
        }
    }

    /** What the fleet saw in one phase. */
    public record PhaseCount(String name, int attempts, int failedLogins, int secretReads) {
    }

    private final Login login;
    private final SecretReader reader;
    private final int clients;
    private final int quota;
    private final int cap;
    private final int maxAttempts;
    private final long deadlineNanos;
    private final List<Phase> phases = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private volatile Phase phase;
    private volatile boolean stopped;

    /**
     * @param quota login attempts the whole fleet makes in a phase before {@link #awaitPhaseQuota} returns
     * @param cap login attempts one client makes at most in a phase
     * @param maxAttempts login attempts one client makes at most in all
     * @param lifetime how long a client keeps going at most, should the test never stop it
     */
    public ClientFleet(Login login, SecretReader reader, int clients, int quota, int cap, int maxAttempts,
            Duration lifetime) {
        this.login = login;
        this.reader = reader;
        this.clients = clients;
        this.quota = quota;
        this.cap = cap;
        this.maxAttempts = maxAttempts;
        this.deadlineNanos = System.nanoTime() + lifetime.toNanos();
    }

    /** Every client reads AWSCURRENT once and starts logging in; the first phase is {@code name}. */
    public void start(String name) {
        nextPhase(name);
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(this::runClient, "fleet-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Waits until the fleet has made its quota of login attempts in the current phase. */
    public void awaitPhaseQuota(Duration atMost) throws InterruptedException {
        Phase current = phase;
        if (!current.quotaReached.await(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the fleet made " + current.attempts.get() + " of " + quota + " login attempts "
                    + "in phase '" + current.name + "'; errors: " + errors());
        }
    }

    /** Ends the current phase and starts the next; clients waiting at their cap go on. */
    public synchronized void nextPhase(String name) {
        Phase previous = phase;
        Phase next = new Phase(name, quota);
        phases.add(next);
        phase = next;
        if (previous != null) {
            previous.ended.countDown();
        }
    }

    /** What the fleet saw, phase by phase. */
    public synchronized List<PhaseCount> counts() {
        return phases.stream().map(Phase::count).toList();
    }

    public int failedLogins() {
        return counts().stream().mapToInt(PhaseCount::failedLogins).sum();
    }

    /** Anything other than a refused login that a client ran into; each stops its client. */
    public synchronized List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** Stops every client and waits for it to finish its current login. */
    @Override
    public void close() {
        stopped = true;
        synchronized (this) {
            phase.ended.countDown();
        }
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runClient() {
        try {
            Credentials credentials = reader.current();
            phase.secretReads.incrementAndGet();
            Phase counted = null;
            int inPhase = 0;
            int attempts = 0;
            while (attempts < maxAttempts && !stopped && System.nanoTime() < deadlineNanos) {
                Phase current = phase;
                if (current != counted) {
                    counted = current;
                    inPhase = 0;
                }
                if (inPhase == cap) {
                    // wakes up now and then only to see whether the fleet was stopped
                    current.ended.await(1, TimeUnit.SECONDS);
                    continue;
                }
                inPhase++;
                attempts++;
                credentials = attempt(current, credentials);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            synchronized (this) {
                errors.add(e);
            }
        }
    }

    /** One login; on a refusal, reads AWSCURRENT again for the next one. */
    private Credentials attempt(Phase current, Credentials credentials) throws Exception {
        boolean accepted = login.attempt(credentials);
        current.attempts.incrementAndGet();
        current.quotaReached.countDown();
        if (accepted) {
            return credentials;
        }
        current.failedLogins.incrementAndGet();
        current.secretReads.incrementAndGet();
        return reader.current();
    }

    private static final class Phase {
        final String name;
        final CountDownLatch quotaReached;
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger failedLogins = new AtomicInteger();
        final AtomicInteger secretReads = new AtomicInteger();

        Phase(String name, int quota) {
            this.name = name;
            this.quotaReached = new CountDownLatch(quota);
        }

        PhaseCount count() {
            return new PhaseCount(name, attempts.get(), failedLogins.get(), secretReads.get());
        }
    }
}
