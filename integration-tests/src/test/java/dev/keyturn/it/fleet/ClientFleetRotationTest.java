package dev.keyturn.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.RotationStep;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.EngineUnderTest;
import dev.keyturn.it.MySqlFamilyUnderTest;
import dev.keyturn.it.PostgresUnderTest;
import dev.keyturn.it.RotationHarness;
import dev.keyturn.it.RotationHarness.TestUser;
import dev.keyturn.it.Services;
import dev.keyturn.it.fleet.ClientFleet.Credentials;
import dev.keyturn.it.fleet.ClientFleet.PhaseCount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What applications see while their secret rotates: a {@link ClientFleet} keeps logging in during
 * the rotation, each client with the AWSCURRENT value it read last, reading it again only after a
 * refused login. The rotation runs step by step against the real servers and moto, and each step
 * waits until the fleet has logged in often enough in the state the previous step left.
 *
 * <p>single-user-overlap and alternating-users must cost the clients no failed login. Plain
 * single-user must refuse every login between setSecret and finishSecret; its figure is measured
 * and printed (lines starting with {@code FLEET}), as the reason to choose another mode. The
 * function's own FailedLogins metric and the server's log (where it can be read) must agree with
 * the clients' count. A second overlap or alternating rotation shows what a client that never
 * refreshes meets: its password, two rotations old by then, is refused once.
 */
class ClientFleetRotationTest {
    private static final int CLIENTS = 4;
    /** Login attempts of the whole fleet in each phase before the next step runs. */
    private static final int QUOTA = 24;
    /** Login attempts of one client per phase at most; bounds the loops and the server's log. */
    private static final int CAP = 40;
    private static final int MAX_ATTEMPTS = 2_000;
    private static final Duration CLIENT_LIFETIME = Duration.ofMinutes(5);
    private static final Duration PHASE_WAIT = Duration.ofMinutes(1);

    private final Services services = Services.get();

    @Test
    void single_user_overlap_on_mariadb_costs_the_clients_no_failed_login() throws Exception {
        MySqlFamilyUnderTest db = MySqlFamilyUnderTest.mariadb(services);
        try (RotationHarness harness = new RotationHarness(services, db)) {
            // given: MariaDB lets only the master give an account two passwords, so the secret names it
            TestUser user = harness.newUser("kt_fleet");
            String arn = harness.createSecret(db.secret(user.name(), user.password())
                    .put("masterarn", harness.masterSecret()));

            // when
            List<RotationResult> results = rotateUnderLoad(harness, db, arn, Strategy.SINGLE_USER_OVERLAP, 2,
                    FailedLoginsOnServer.mariadb(), List.of(user.name()));

            // then
            assertNoFailedLogin(results.get(0));
            assertRefusedAtMostOncePerClient(results.get(1));
            harness.assertNoPasswordLeaked();
        }
    }

    @Test
    void alternating_users_on_mariadb_costs_the_clients_no_failed_login() throws Exception {
        MySqlFamilyUnderTest db = MySqlFamilyUnderTest.mariadb(services);
        try (RotationHarness harness = new RotationHarness(services, db)) {
            // given
            TestUser user = harness.newUser("kt_fleet");
            String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);

            // when
            List<RotationResult> results = rotateUnderLoad(harness, db, arn, Strategy.ALTERNATING_USERS, 2,
                    FailedLoginsOnServer.mariadb(), List.of(user.name(), user.name() + "_clone"));

            // then
            assertNoFailedLogin(results.get(0));
            assertRefusedAtMostOncePerClient(results.get(1));
            harness.assertNoPasswordLeaked();
        }
    }

    @Test
    void alternating_users_on_postgres_costs_the_clients_no_failed_login() throws Exception {
        PostgresUnderTest db = new PostgresUnderTest(services);
        try (RotationHarness harness = new RotationHarness(services, db)) {
            // given
            TestUser user = harness.newUser("kt_fleet");
            String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);

            // when
            List<RotationResult> results = rotateUnderLoad(harness, db, arn, Strategy.ALTERNATING_USERS, 2,
                    FailedLoginsOnServer.postgres(db.server()), List.of(user.name(), user.name() + "_clone"));

            // then
            assertNoFailedLogin(results.get(0));
            assertRefusedAtMostOncePerClient(results.get(1));
            harness.assertNoPasswordLeaked();
        }
    }

    @Test
    void single_user_on_mariadb_refuses_the_clients_between_setSecret_and_finishSecret() throws Exception {
        MySqlFamilyUnderTest db = MySqlFamilyUnderTest.mariadb(services);
        try (RotationHarness harness = new RotationHarness(services, db)) {
            // given
            TestUser user = harness.newUser("kt_fleet");
            String arn = harness.secretFor(user, Strategy.SINGLE_USER);

            // when
            RotationResult result = rotateUnderLoad(harness, db, arn, Strategy.SINGLE_USER, 1,
                    FailedLoginsOnServer.mariadb(), List.of(user.name())).get(0);

            // then
            assertRefusedOnlyBetweenSetAndFinish(result);
            harness.assertNoPasswordLeaked();
        }
    }

    @Test
    void single_user_on_postgres_refuses_the_clients_between_setSecret_and_finishSecret() throws Exception {
        PostgresUnderTest db = new PostgresUnderTest(services);
        try (RotationHarness harness = new RotationHarness(services, db)) {
            // given
            TestUser user = harness.newUser("kt_fleet");
            String arn = harness.secretFor(user, Strategy.SINGLE_USER);

            // when
            RotationResult result = rotateUnderLoad(harness, db, arn, Strategy.SINGLE_USER, 1,
                    FailedLoginsOnServer.postgres(db.server()), List.of(user.name())).get(0);

            // then
            assertRefusedOnlyBetweenSetAndFinish(result);
            harness.assertNoPasswordLeaked();
        }
    }

    /** What one rotation cost: the fleet's count per phase, the function's metric, the server's log. */
    record RotationResult(String label, List<PhaseCount> phases, long functionFailedLogins,
            Optional<Long> serverFailedLogins) {

        int clientFailedLogins() {
            return phases.stream().mapToInt(PhaseCount::failedLogins).sum();
        }

        int attempts() {
            return phases.stream().mapToInt(PhaseCount::attempts).sum();
        }

        int failedLoginsIn(String phase) {
            return phases.stream().filter(p -> p.name().equals(phase)).mapToInt(PhaseCount::failedLogins).sum();
        }

        @Override
        public String toString() {
            return "FLEET " + label + ": " + clientFailedLogins() + " failed logins in " + attempts() + " attempts of "
                    + CLIENTS + " clients; server log: " + serverFailedLogins.map(String::valueOf).orElse("n/a")
                    + "; function FailedLogins metric: " + functionFailedLogins + "; per phase (failed/attempts): "
                    + phases.stream().map(p -> p.name() + " " + p.failedLogins() + "/" + p.attempts())
                            .collect(Collectors.joining(", "));
        }
    }

    /** Runs {@code rotations} rotations one step at a time while the fleet logs in; prints each result. */
    private List<RotationResult> rotateUnderLoad(RotationHarness harness, EngineUnderTest db, String arn,
            Strategy strategy, int rotations, FailedLoginsOnServer serverLog, List<String> users)
            throws Exception {
        RotationHandler handler = harness.handler(strategy);
        ClientFleet fleet = new ClientFleet(credentials -> db.canLogin(credentials.username(), credentials.password()),
                () -> credentials(harness.current(arn)), CLIENTS, QUOTA, CAP, MAX_ATTEMPTS, CLIENT_LIFETIME);
        List<RotationResult> results = new ArrayList<>();
        try (fleet) {
            fleet.start("rotation 1: before createSecret");
            for (int rotation = 1; rotation <= rotations; rotation++) {
                results.add(rotateOnce(harness, handler, arn, fleet, rotation, serverLog, users,
                        db.engine().name() + " " + strategy.settingValue() + ", rotation " + rotation));
            }
        }
        assertThat(fleet.errors()).as("errors other than refused logins").isEmpty();
        results.forEach(System.out::println);
        return results;
    }

    private static RotationResult rotateOnce(RotationHarness harness, RotationHandler handler, String arn,
            ClientFleet fleet, int rotation, FailedLoginsOnServer serverLog, List<String> users, String label)
            throws InterruptedException {
        EmfMetrics metrics = EmfMetrics.mark(harness.logs());
        int firstPhase = fleet.counts().size() - 1;
        String token = harness.startRotation(arn);
        for (RotationStep step : RotationStep.values()) {
            fleet.awaitPhaseQuota(PHASE_WAIT);
            harness.step(handler, step, arn, token);
            fleet.nextPhase("after " + step.wireName());
        }
        fleet.awaitPhaseQuota(PHASE_WAIT);
        fleet.nextPhase("rotation " + (rotation + 1) + ": before createSecret");
        List<PhaseCount> phases = fleet.counts().subList(firstPhase, fleet.counts().size() - 1);
        return new RotationResult(label, List.copyOf(phases), metrics.sum("FailedLogins"), serverLog.of(users));
    }

    private static void assertNoFailedLogin(RotationResult result) {
        assertThat(result.clientFailedLogins()).as(result.toString()).isZero();
        assertThat(result.functionFailedLogins()).as(result.toString()).isZero();
        result.serverFailedLogins().ifPresent(server -> assertThat(server).as(result.toString()).isZero());
        assertThat(result.attempts()).as(result.toString()).isGreaterThanOrEqualTo(5 * QUOTA);
    }

    /**
     * The second rotation of a client that never refreshed: its password is two rotations old when
     * setSecret runs, and is refused once; the client reads AWSCURRENT again and goes on.
     */
    private static void assertRefusedAtMostOncePerClient(RotationResult result) {
        assertThat(result.clientFailedLogins()).as(result.toString()).isBetween(0, CLIENTS);
        assertThat(result.functionFailedLogins()).as(result.toString()).isZero();
        result.serverFailedLogins().ifPresent(server -> assertThat(server).as(result.toString())
                .isEqualTo(result.clientFailedLogins() + result.functionFailedLogins()));
    }

    /**
     * Nothing is refused before setSecret. From the moment setSecret changes the password until
     * finishSecret moves AWSCURRENT every login is refused, because reading AWSCURRENT again gives
     * the old password back: the phase after setSecret (which lasts until testSecret returned) sees
     * nothing else, the phase after testSecret (which lasts while finishSecret runs) mostly that.
     * After finishSecret each client is refused once more at most, then reads the new password.
     */
    private static void assertRefusedOnlyBetweenSetAndFinish(RotationResult result) {
        assertThat(result.functionFailedLogins()).as(result.toString()).isZero();
        assertThat(result.phases().get(0).failedLogins()).as(result.toString()).isZero();
        PhaseCount afterSet = phase(result, "after setSecret");
        assertThat(afterSet.failedLogins()).as(result.toString()).isPositive().isEqualTo(afterSet.attempts());
        assertThat(phase(result, "after testSecret").failedLogins()).as(result.toString()).isPositive();
        assertThat(result.failedLoginsIn("after finishSecret")).as(result.toString()).isLessThanOrEqualTo(CLIENTS);
        result.serverFailedLogins().ifPresent(server -> assertThat(server).as(result.toString())
                .isEqualTo(result.clientFailedLogins()));
    }

    private static PhaseCount phase(RotationResult result, String name) {
        return result.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static Credentials credentials(DatabaseSecret secret) {
        return new Credentials(secret.username(), secret.password());
    }
}
