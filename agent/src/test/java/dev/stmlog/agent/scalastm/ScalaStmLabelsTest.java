package dev.stmlog.agent.scalastm;

import org.junit.jupiter.api.Test;
import stmlog.planted.Bank$;
import stmlog.planted.LabelFixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A ScalaSTM ref's label: the field that holds it, found from the program's frames. */
class ScalaStmLabelsTest {

    @Test
    void aStaticFieldOfAClassOnTheStackLabelsIt() {
        assertEquals("stmlog.planted.LabelFixtures.COUNTER", LabelFixtures.labelOfCounter(ScalaStmLabels::label));
    }

    @Test
    void aFieldOfAScalaObjectLabelsItByTheObjectsName() {
        assertEquals("stmlog.planted.Bank.total", Bank$.MODULE$.labelOfTotal(ScalaStmLabels::label));
    }

    @Test
    void aRefNoFieldHoldsHasNoLabel() {
        assertNull(LabelFixtures.labelOfUnheld(ScalaStmLabels::label));
    }
}
