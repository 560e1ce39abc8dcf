package dev.stmlog.analyzer;

/** What ranks the rows ({@code --sort}), largest first. */
public enum SortKey {
    LOST, PAUSED, TOTAL, COUNT;

    long of(Site s) {
        return switch (this) {
            case LOST -> s.lost;
            case PAUSED -> s.paused;
            case TOTAL -> s.lost + s.paused;
            case COUNT -> s.count;
        };
    }
}
