package dev.stmlog.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.stmlog.Inevitable}: a transaction held the inevitable token, from when it
 * became inevitable to its end (see {@link Jfr}).
 */
@Name("dev.stmlog.Inevitable")
@Label("STM Inevitable")
@Category("STM")
@StackTrace(false)
@Description("A transaction was inevitable (no other transaction could commit writes meanwhile), from"
        + " becoming so to its end. The event's own stack would be the STM's: Site gives the user's frames"
        + " instead, top frame first, one per line.")
final class InevitableEvent extends Event {

    @Label("Site")
    @Description("Where it became inevitable: its Stm.inevitable() call, or where it was entered when escalated")
    String site;

    @Label("Escalated")
    @Description("Made inevitable by the STM after repeated conflicts, not by Stm.inevitable()")
    boolean escalated;
}
