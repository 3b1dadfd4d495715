package dev.strata.projections;

/** Hears an offline replay's progress, a few times a second, on a timer thread. */
@FunctionalInterface
public interface ReplayListener {

    void onProgress(ReplayProgress progress);

    ReplayListener NONE = progress -> {
    };
}
