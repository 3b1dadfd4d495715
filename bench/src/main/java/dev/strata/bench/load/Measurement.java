package dev.strata.bench.load;

/**
 * What one append run measured.
 *
 * @param target            the target's name
 * @param durability        what an acknowledgement meant
 * @param load              what was run
 * @param seconds           the measured window
 * @param appends           appends acknowledged in the window
 * @param events            events acknowledged in the window
 * @param unsent            at a fixed rate, appends due in the window that were never sent because the target was
 *                          behind schedule (they count in the latency with what they had waited by the end)
 * @param conflictsInjected appends sent with a stale expected version in the window
 * @param conflictsDetected of those, refused by the target (must equal conflictsInjected)
 * @param errors            anything else that failed (unexpected conflicts, missed conflicts, exceptions)
 * @param firstError        the first error's message, or null
 * @param latency           from when each append was due (fixed rate) or issued (max rate) to its acknowledgement
 * @param serviceTime       from when each append was issued to its acknowledgement
 */
public record Measurement(String target, String durability, AppendLoad load, double seconds, long appends, long events,
                          long unsent, long conflictsInjected, long conflictsDetected, long errors, String firstError,
                          Latency latency, Latency serviceTime) {

    public double eventsPerSecond() {
        return events / seconds;
    }

    public double appendsPerSecond() {
        return appends / seconds;
    }

    /** Whether the figure can be trusted: no error, and every injected conflict was caught. */
    public boolean clean() {
        return errors == 0 && conflictsDetected == conflictsInjected;
    }
}
