package dev.workflowthread.langchain4j;

import java.util.ArrayList;
import java.util.List;

/** What a scripted model was given, kept in order for the test to read from its own thread. */
final class Recorded<T> {

    private final List<T> items = new ArrayList<>();

    /** Keeps {@code item}; returns how many were kept before it. */
    synchronized int add(T item) {
        items.add(item);
        return items.size() - 1;
    }

    /** Everything kept so far, in order. */
    synchronized List<T> all() {
        return List.copyOf(items);
    }
}
