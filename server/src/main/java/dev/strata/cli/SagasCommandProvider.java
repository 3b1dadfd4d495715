package dev.strata.cli;

/** Adds {@code strata sagas} (list, show, retry) from the saga-orchestrator module. */
public final class SagasCommandProvider implements CommandProvider {

    @Override
    public String name() {
        return "sagas";
    }

    @Override
    public Object command() {
        return new SagasCommand();
    }
}
