package dev.stockroom.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a Kustomize directory the way {@code kubectl kustomize} does, for the subset that {@code deploy/} uses.
 *
 * <p>Supported: {@code resources} (files and directories), {@code components}, {@code namespace},
 * {@code configMapGenerator} ({@code envs}, {@code files}, {@code literals}, {@code behavior},
 * {@code options.labels}), {@code patches} (strategic merge by kind and name, including {@code $patch: delete};
 * JSON 6902 {@code add}/{@code replace}/{@code remove} with a {@code target} by kind, name or label selector) and
 * {@code images}. Any other field is refused rather than silently ignored, so a manifest change this renderer
 * cannot follow fails the build instead of passing unchecked.
 *
 * <p><b>Note:</b> generated ConfigMaps keep their plain name; Kustomize appends a content hash and rewrites the
 * references, which changes no check made here.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "namespace", "resources",
            "components", "patches", "configMapGenerator", "images");

    private Kustomize() {
    }

    /** The resources of the kustomization (or component) in {@code dir}, fully rendered. */
    static List<Map<String, Object>> render(Path dir) {
        List<Map<String, Object>> out = new ArrayList<>();
        apply(dir, out);
        return out;
    }

    /** Every YAML document of a file, as plain maps and lists. */
    static List<Object> readDocuments(Path file) {
        // One value per document: a reader over a sequence would hand out its elements instead (JSON patches).
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            List<Object> all = new ArrayList<>();
            while (parser.nextToken() != null) {
                Object doc = YAML.readValue(parser, Object.class);
                if (doc != null) {
                    all.add(doc);
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void apply(Path dir, List<Map<String, Object>> out) {
        Map<String, Object> k = (Map<String, Object>) readDocuments(dir.resolve("kustomization.yaml")).get(0);
        for (String field : k.keySet()) {
            if (!KUSTOMIZATION_FIELDS.contains(field)) {
                throw new IllegalArgumentException(dir + ": kustomization field not supported by this check: " + field);
            }
        }
        for (String resource : strings(k.get("resources"))) {
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                out.addAll(render(path));
            } else {
                readDocuments(path).forEach(doc -> out.add((Map<String, Object>) doc));
            }
        }
        for (String component : strings(k.get("components"))) {
            apply(dir.resolve(component).normalize(), out);
        }
        for (Object generator : list(k.get("configMapGenerator"))) {
            generate(dir, (Map<String, Object>) generator, out);
        }
        for (Object patch : list(k.get("patches"))) {
            patch(dir, (Map<String, Object>) patch, out);
        }
        for (Object image : list(k.get("images"))) {
            setImage((Map<String, Object>) image, out);
        }
        if (k.get("namespace") != null) {
            out.forEach(r -> metadata(r).put("namespace", k.get("namespace")));
        }
    }

    @SuppressWarnings("unchecked")
    private static void generate(Path dir, Map<String, Object> generator, List<Map<String, Object>> out) {
        String name = (String) generator.get("name");
        Map<String, Object> data = new LinkedHashMap<>();
        try {
            for (String env : strings(generator.get("envs"))) {
                for (String line : Files.readAllLines(dir.resolve(env))) {
                    putLiteral(data, line);
                }
            }
            for (String file : strings(generator.get("files"))) {
                Path path = dir.resolve(file);
                data.put(path.getFileName().toString(), Files.readString(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        strings(generator.get("literals")).forEach(l -> putLiteral(data, l));
        String behavior = (String) generator.getOrDefault("behavior", "create");
        Map<String, Object> existing = out.stream()
                .filter(r -> "ConfigMap".equals(r.get("kind")) && name.equals(metadata(r).get("name")))
                .findFirst().orElse(null);
        if (behavior.equals("create") == (existing != null)) {
            throw new IllegalArgumentException(dir + ": configMapGenerator " + name + " behavior " + behavior);
        }
        if (existing == null) {
            Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) generator
                    .getOrDefault("options", Map.of())).get("labels");
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("name", name);
            if (labels != null) {
                meta.put("labels", new LinkedHashMap<>(labels));
            }
            Map<String, Object> configMap = new LinkedHashMap<>();
            configMap.put("apiVersion", "v1");
            configMap.put("kind", "ConfigMap");
            configMap.put("metadata", meta);
            configMap.put("data", data);
            out.add(configMap);
        } else if (behavior.equals("merge")) {
            ((Map<String, Object>) existing.get("data")).putAll(data);
        } else {
            existing.put("data", data);
        }
    }

    private static void putLiteral(Map<String, Object> data, String line) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
            int eq = trimmed.indexOf('=');
            data.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private static void patch(Path dir, Map<String, Object> spec, List<Map<String, Object>> out) {
        Object body;
        if (spec.get("path") != null) {
            body = readDocuments(dir.resolve((String) spec.get("path"))).get(0);
        } else {
            try {
                body = YAML.readValue((String) spec.get("patch"), Object.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Object> target = (Map<String, Object>) spec.get("target");
        if (body instanceof List<?> ops) {
            List<Map<String, Object>> targets = out.stream().filter(r -> selected(r, target)).toList();
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(dir + ": patch target matches nothing: " + target);
            }
            targets.forEach(r -> ops.forEach(op -> jsonPatch(r, (Map<String, Object>) op)));
            return;
        }
        Map<String, Object> smp = (Map<String, Object>) body;
        Map<String, Object> selector = target != null ? target
                : Map.of("kind", smp.get("kind"), "name", metadata(smp).get("name"));
        List<Map<String, Object>> targets = out.stream().filter(r -> selected(r, selector)).toList();
        if (targets.size() != 1) {
            throw new IllegalArgumentException(dir + ": strategic merge patch needs one target, found "
                    + targets.size() + " for " + selector);
        }
        if ("delete".equals(smp.get("$patch"))) {
            out.remove(targets.get(0));
        } else {
            Map<String, Object> clean = new LinkedHashMap<>(smp);
            clean.remove("apiVersion");
            clean.remove("kind");
            merge(targets.get(0), clean);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean selected(Map<String, Object> resource, Map<String, Object> target) {
        if (target == null) {
            return false;
        }
        if (target.get("kind") != null && !target.get("kind").equals(resource.get("kind"))) {
            return false;
        }
        if (target.get("name") != null && !target.get("name").equals(metadata(resource).get("name"))) {
            return false;
        }
        if (target.get("labelSelector") != null) {
            Map<String, Object> labels = (Map<String, Object>) metadata(resource).getOrDefault("labels", Map.of());
            for (String term : ((String) target.get("labelSelector")).split(",")) {
                String[] kv = term.strip().split("=", 2);
                if (!Objects.equals(labels.get(kv[0]), kv[1])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Strategic merge as Kubernetes does it for these objects: maps merge, lists of named items merge by name. */
    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object current = into.get(e.getKey());
            Object value = e.getValue();
            if (value == null) {
                into.remove(e.getKey());
            } else if (current instanceof Map<?, ?> m && value instanceof Map<?, ?> p) {
                merge((Map<String, Object>) m, (Map<String, Object>) p);
            } else if (current instanceof List<?> l && value instanceof List<?> p && namedItems(l) && namedItems(p)) {
                List<Object> merged = new ArrayList<>(l);
                for (Object item : p) {
                    Object name = ((Map<?, ?>) item).get("name");
                    Map<String, Object> same = (Map<String, Object>) merged.stream()
                            .filter(c -> name.equals(((Map<?, ?>) c).get("name"))).findFirst().orElse(null);
                    if (same == null) {
                        merged.add(item);
                    } else {
                        merge(same, (Map<String, Object>) item);
                    }
                }
                into.put(e.getKey(), merged);
            } else {
                into.put(e.getKey(), value);
            }
        }
    }

    private static boolean namedItems(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") != null);
    }

    @SuppressWarnings("unchecked")
    private static void jsonPatch(Map<String, Object> resource, Map<String, Object> op) {
        String[] path = ((String) op.get("path")).substring(1).split("/");
        Map<String, Object> parent = resource;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = parent.get(unescape(path[i]));
            if (!(child instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("JSON patch path not found: " + op.get("path"));
            }
            parent = (Map<String, Object>) child;
        }
        String last = unescape(path[path.length - 1]);
        switch ((String) op.get("op")) {
            case "add" -> parent.put(last, op.get("value"));
            case "replace", "remove" -> {
                if (!parent.containsKey(last)) {
                    throw new IllegalArgumentException("JSON patch path not found: " + op.get("path"));
                }
                if (op.get("op").equals("replace")) {
                    parent.put(last, op.get("value"));
                } else {
                    parent.remove(last);
                }
            }
            default -> throw new IllegalArgumentException("JSON patch op not supported: " + op.get("op"));
        }
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    @SuppressWarnings("unchecked")
    private static void setImage(Map<String, Object> image, List<Map<String, Object>> out) {
        for (Map<String, Object> resource : out) {
            Object template = ((Map<String, Object>) resource.getOrDefault("spec", Map.of())).get("template");
            if (!(template instanceof Map<?, ?> t) || !(t.get("spec") instanceof Map<?, ?> podSpec)) {
                continue;
            }
            for (Object c : list(podSpec.get("containers"))) {
                Map<String, Object> container = (Map<String, Object>) c;
                String current = (String) container.get("image");
                String name = current.split("[:@]", 2)[0];
                if (name.equals(image.get("name"))) {
                    String newName = (String) image.getOrDefault("newName", name);
                    Object tag = image.get("newTag");
                    container.put("image", tag == null ? newName : newName + ":" + tag);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> resource) {
        return (Map<String, Object>) resource.computeIfAbsent("metadata", m -> new LinkedHashMap<>());
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        for (Iterator<?> it = list(value).iterator(); it.hasNext();) {
            strings.add((String) it.next());
        }
        return strings;
    }
}
