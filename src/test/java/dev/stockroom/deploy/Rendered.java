package dev.stockroom.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rendered environment ({@code deploy/base} or an overlay) with the look-ups the manifest checks need. */
record Rendered(Path dir, List<Map<String, Object>> resources) {

    static Rendered of(Path dir) {
        return new Rendered(dir, Kustomize.render(dir));
    }

    List<Map<String, Object>> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(r -> name.equals(Kustomize.metadata(r).get("name"))).findFirst();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> all = ofKind(kind);
        if (all.size() != 1) {
            throw new AssertionError(dir + ": expected one " + kind + ", found " + all.size());
        }
        return all.get(0);
    }

    @SuppressWarnings("unchecked")
    Map<String, String> config() {
        return (Map<String, String>) find("ConfigMap", "stockroom-config")
                .orElseThrow(() -> new AssertionError(dir + ": no ConfigMap stockroom-config")).get("data");
    }

    /** The autoscaler: exactly one of a HorizontalPodAutoscaler and a KEDA ScaledObject. */
    Map<String, Object> autoscaler() {
        List<Map<String, Object>> scalers = resources.stream()
                .filter(r -> r.get("kind").equals("HorizontalPodAutoscaler") || r.get("kind").equals("ScaledObject"))
                .toList();
        if (scalers.size() != 1) {
            throw new AssertionError(dir + ": expected one autoscaler (HPA or ScaledObject), found " + scalers.size());
        }
        return scalers.get(0);
    }

    int autoscalerMaxReplicas() {
        Map<String, Object> scaler = autoscaler();
        String field = scaler.get("kind").equals("ScaledObject") ? "maxReplicaCount" : "maxReplicas";
        return ((Number) Yaml.at(scaler, "spec", field)).intValue();
    }

    /** Extra pods during a rollout: the Rollout's canary surge if Argo Rollouts runs it, else the Deployment's. */
    int surge(int replicas) {
        Optional<Map<String, Object>> rollout = find("Rollout", "stockroom");
        Object surge = rollout.isPresent()
                ? Yaml.at(rollout.get(), "spec", "strategy", "canary", "maxSurge")
                : Yaml.at(one("Deployment"), "spec", "strategy", "rollingUpdate", "maxSurge");
        if (surge == null) {
            surge = "25%"; // the default of both Kubernetes and Argo Rollouts
        }
        if (surge instanceof Number n) {
            return n.intValue();
        }
        String text = surge.toString().strip();
        if (text.endsWith("%")) {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1));
            return (replicas * percent + 99) / 100;
        }
        return Integer.parseInt(text);
    }
}
