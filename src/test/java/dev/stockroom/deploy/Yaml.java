package dev.stockroom.deploy;

import java.util.List;
import java.util.Map;

/** Path look-ups in parsed YAML (maps, lists and scalars). */
final class Yaml {

    private Yaml() {
    }

    /** The value at {@code path} (map keys, or list indexes as integers), or null where the path ends early. */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (step instanceof Integer i && current instanceof List<?> list) {
                current = i < list.size() ? list.get(i) : null;
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, Object... path) {
        Object value = at(node, path);
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, Object... path) {
        Object value = at(node, path);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }
}
