package dev.stmlog.reports;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonWriterTest {
    @Test
    void escapesWhatJsonAndHtmlNeed() {
        assertEquals("\"a\\\"b\\\\c\"", JsonWriter.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\"", JsonWriter.quote("\n\r\t\b\f\u0000\u001f\u007f"));
        assertEquals("\"\\u003c/script\\u003e\\u0026\"", JsonWriter.quote("</script>&"));
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.quote("\u2028\u2029"));
        assertEquals("\"é🙂\"", JsonWriter.quote("é🙂"));
        assertEquals("\"\\ud800x\"", JsonWriter.quote("\ud800x"), "an unpaired surrogate is escaped");
    }

    @Test
    void writesNestedValues() {
        StringBuilder b = new StringBuilder();
        new JsonWriter(b, false).beginObject()
                .name("a").value(1)
                .name("b").strings(List.of("x", "y"))
                .name("c").any(Map.of("k", true))
                .name("d").seconds(1_500_000)
                .name("e").value((String) null)
                .name("f").beginArray().endArray()
                .name("g").value(Double.NaN)
                .endObject();
        assertEquals("{\"a\":1,\"b\":[\"x\",\"y\"],\"c\":{\"k\":true},\"d\":0.0015,\"e\":null,\"f\":[],\"g\":null}", b.toString());
    }

    @Test
    void prettyPrints() {
        StringBuilder b = new StringBuilder();
        new JsonWriter(b, true).beginObject().name("a").beginArray().value(1).value(2).endArray().name("b").beginObject().endObject().endObject();
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}", b.toString());
    }
}
