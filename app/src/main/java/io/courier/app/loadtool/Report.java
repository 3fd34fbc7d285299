package io.courier.app.loadtool;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The final summary of a run, as ordered name/value pairs, printed either for people (one
 * {@code name: value} line each, numbers grouped) or as one JSON object for scripts
 * ({@code --json}; bench/compare.sh reads it with jq). Names are the same in both.
 */
final class Report {

    private final Map<String, Object> values = new LinkedHashMap<>();

    Report put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    Object get(String name) {
        return values.get(name);
    }

    void print(PrintStream out, boolean json) {
        out.println(json ? toJson() : toText());
        out.flush();
    }

    String toText() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            b.append(String.format(Locale.ROOT, "%-26s %s%n", e.getKey() + ":", human(e.getValue())));
        }
        return b.toString().stripTrailing();
    }

    String toJson() {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(e.getKey())).append(':').append(jsonValue(e.getValue()));
        }
        return b.append('}').toString();
    }

    private static String human(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%,.2f", d);
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", v);
        }
        return String.valueOf(v);
    }

    private static String jsonValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
