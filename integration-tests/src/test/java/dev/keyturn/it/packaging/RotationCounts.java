package dev.keyturn.it.packaging;

import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * What each rotation cost, summed over its four steps from the function's metric lines: Secrets
 * Manager calls, database logins and failed logins. Every rotation of a run is counted, so a value
 * that varies between rotations shows as a range.
 */
record RotationCounts(int rotations, String secretsManagerCalls, String databaseLogins, String failedLogins,
        String callsPerStep) {
    private static final int STEPS = 4;

    static RotationCounts of(List<StepMetricLine> lines) {
        if (lines.isEmpty() || lines.size() % STEPS != 0) {
            throw new IllegalStateException("expected whole rotations of " + STEPS + " metric lines, found "
                    + lines.size());
        }
        List<List<StepMetricLine>> rotations = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += STEPS) {
            rotations.add(lines.subList(i, i + STEPS));
        }
        return new RotationCounts(rotations.size(), range(rotations, StepMetricLine::secretsManagerCalls),
                range(rotations, StepMetricLine::databaseLogins), range(rotations, StepMetricLine::failedLogins),
                perStep(rotations.get(0)));
    }

    private static String range(List<List<StepMetricLine>> rotations, ToIntFunction<StepMetricLine> counter) {
        IntSummaryStatistics totals = rotations.stream()
                .mapToInt(rotation -> rotation.stream().mapToInt(counter).sum())
                .summaryStatistics();
        return totals.getMin() == totals.getMax()
                ? String.valueOf(totals.getMin())
                : totals.getMin() + "–" + totals.getMax();
    }

    /** Secrets Manager calls and logins of each step of one rotation, e.g. {@code createSecret 5/0}. */
    private static String perStep(List<StepMetricLine> rotation) {
        return rotation.stream()
                .map(line -> line.step() + " " + line.secretsManagerCalls() + "/" + line.databaseLogins())
                .collect(Collectors.joining(", "));
    }
}
