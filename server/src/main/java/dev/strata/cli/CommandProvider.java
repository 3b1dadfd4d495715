package dev.strata.cli;

/**
 * Adds a subcommand to {@code strata} from another module on the classpath (found with {@link java.util.ServiceLoader}):
 * the order example adds {@code demo}, the bench module adds {@code bench}. A provided command replaces a built-in one
 * of the same name.
 */
public interface CommandProvider {

    /** The subcommand's name, as typed after {@code strata}. */
    String name();

    /** A picocli command object (annotated with {@code @Command}). */
    Object command();
}
