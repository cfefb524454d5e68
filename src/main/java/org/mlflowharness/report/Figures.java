package org.mlflowharness.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Small helpers of the capacity report: figures for people, SLO and outcome texts, JSON arrays as lists. */
final class Figures {

    private Figures() {
    }

    static String sloText(JsonNode slo) {
        List<String> p = new ArrayList<>();
        slo.fields().forEachRemaining(e -> p.add(e.getKey() + " " + e.getValue().asText()));
        return p.isEmpty() ? "none" : String.join(", ", p);
    }

    static String outcomes(JsonNode outcomes) {
        List<String> p = new ArrayList<>();
        outcomes.fields().forEachRemaining(e -> p.add(e.getKey() + " x" + e.getValue().asText()));
        return String.join(", ", p);
    }

    static List<Double> values(List<JsonNode> steps, Function<JsonNode, JsonNode> f) {
        return steps.stream().map(st -> number(f.apply(st))).toList();
    }

    static Double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    static String orDash(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : n.isNumber() ? fmt(n.asDouble()) : n.asText();
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    /** A figure for people: no trailing zeros, at most two decimals (one above 100). */
    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        String s = String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.2f", d);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
