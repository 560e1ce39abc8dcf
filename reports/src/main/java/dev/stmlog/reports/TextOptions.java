package dev.stmlog.reports;

/**
 * How text reports look.
 *
 * @param exact raw numbers (seconds to the nanosecond, counts without separators) instead of
 *              human units
 * @param color ANSI bold for titles (only for terminals, and never when {@code NO_COLOR} is set)
 */
public record TextOptions(boolean exact, boolean color) {
    public static final TextOptions PLAIN = new TextOptions(false, false);
}
