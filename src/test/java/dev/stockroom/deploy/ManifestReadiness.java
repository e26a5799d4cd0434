package dev.stockroom.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readiness items read from a rendered overlay and the application's configuration: connection budget, probes,
 * resources, availability, security context, network policy, alerts and dashboard. Each follows the kube-score
 * checks of its default set where they overlap, and says where it departs from them. One method per item, so the
 * class is as long as the list; each method reads alone.
 */
final class ManifestReadiness {

    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    private final Rendered env;
    private final Properties app;
    private final Map<String, Object> deployment;
    private final Map<String, Object> pod;
    private final Map<String, Object> container;

    ManifestReadiness(Rendered env, Properties app) {
        this.env = env;
        this.app = app;
        this.deployment = env.one("Deployment");
        this.pod = Yaml.map(deployment, "spec", "template", "spec");
        this.container = Yaml.list(pod, "containers").get(0);
    }

    List<ReadinessItem> items() {
        return List.of(connectionBudget(), probes(), resources(), availability(), securityContext(), networkPolicy(),
                alertsHaveRunbooks(), alertsHavePanels());
    }

    ReadinessItem connectionBudget() {
        DeployBudget budget = DeployBudget.of(env);
        return ReadinessItem.of("Connection budget at max replicas plus surge fits the database", List.of(),
                List.of("max replicas %d + surge %d: %s (%s)".formatted(budget.maxReplicas(), budget.surge(),
                        budget.atWorst().arithmetic(), DeployBudget.DATABASE_MAX)),
                budget.violations());
    }

    ReadinessItem probes() {
        int management = Integer.parseInt(app.getProperty("quarkus.management.port", "9000").strip());
        Map<String, Integer> ports = new LinkedHashMap<>();
        Yaml.list(container, "ports").forEach(p -> ports.put((String) p.get("name"), (Integer) p.get("containerPort")));
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> paths = new LinkedHashMap<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Map<String, Object> get = Yaml.map(container, probe, "httpGet");
            if (get.isEmpty()) {
                problems.add(probe + " is missing (or not an HTTP GET)");
                continue;
            }
            Object port = get.get("port");
            Integer resolved = port instanceof Integer n ? n : ports.get(String.valueOf(port));
            evidence.add("%s: GET %s on port %s (%s)".formatted(probe, get.get("path"), port, resolved));
            paths.put(probe, String.valueOf(get.get("path")));
            if (!Objects.equals(resolved, management)) {
                problems.add(probe + " asks port " + resolved + ", not the management port " + management);
            }
        }
        if (new HashSet<>(paths.values()).size() != paths.size()) {
            problems.add("probes share a path: " + paths);
        }
        return ReadinessItem.of("Probes present, distinct, on the management port", List.of("pod-probes",
                "pod-probes-identical"), evidence, problems);
    }

    ReadinessItem resources() {
        Map<String, Object> requests = Yaml.map(container, "resources", "requests");
        Map<String, Object> limits = Yaml.map(container, "resources", "limits");
        List<String> problems = new ArrayList<>();
        for (String kind : List.of("cpu", "memory")) {
            if (requests.get(kind) == null) {
                problems.add("no " + kind + " request");
            }
            if (limits.get(kind) == null) {
                problems.add("no " + kind + " limit");
            }
        }
        if (requests.get("memory") != null && !Objects.equals(requests.get("memory"), limits.get("memory"))) {
            problems.add("memory request " + requests.get("memory") + " differs from its limit " + limits.get(
                    "memory"));
        }
        return ReadinessItem.of("Resources and limits", List.of("container-resources",
                "container-memory-requests-equal-limits"),
                List.of("requests " + requests + ", limits " + limits), problems);
    }

    ReadinessItem availability() {
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Object> scaler = env.autoscaler();
        Object min = Yaml.at(scaler, "spec", scaler.get("kind").equals("ScaledObject") ? "minReplicaCount"
                : "minReplicas");
        evidence.add("%s: at least %s replicas, at most %d".formatted(scaler.get("kind"), min, env
                .autoscalerMaxReplicas()));
        if (!(min instanceof Integer n) || n < 2) {
            problems.add("fewer than 2 replicas at minimum: " + min);
        }
        if (Yaml.at(deployment, "spec", "replicas") != null) {
            problems.add("the Deployment sets replicas although an autoscaler owns the count");
        }
        List<Map<String, Object>> pdbs = env.ofKind("PodDisruptionBudget");
        if (pdbs.isEmpty()) {
            problems.add("no PodDisruptionBudget");
        } else {
            Map<String, Object> spec = Yaml.map(pdbs.get(0), "spec");
            evidence.add("PodDisruptionBudget: maxUnavailable " + spec.get("maxUnavailable") + ", minAvailable "
                    + spec.get("minAvailable"));
            if (spec.get("maxUnavailable") == null && spec.get("minAvailable") == null) {
                problems.add("the PodDisruptionBudget has no policy");
            }
        }
        List<String> spread = Yaml.list(pod, "topologySpreadConstraints").stream()
                .map(c -> c.get("topologyKey") + " (" + c.get("whenUnsatisfiable") + ")").toList();
        evidence.add("spread: " + spread);
        if (spread.stream().noneMatch(s -> s.startsWith("kubernetes.io/hostname"))) {
            problems.add("pods are not spread across nodes");
        }
        return ReadinessItem.of("At least 2 replicas, a PodDisruptionBudget, spread across nodes",
                List.of("deployment-replicas", "deployment-has-poddisruptionbudget", "poddisruptionbudget-has-policy",
                        "deployment-has-host-podantiaffinity (as a topology spread over kubernetes.io/hostname)",
                        "deployment-targeted-by-hpa-does-not-have-replicas-configured"), evidence, problems);
    }

    ReadinessItem securityContext() {
        Map<String, Object> podContext = Yaml.map(pod, "securityContext");
        Map<String, Object> context = Yaml.map(container, "securityContext");
        List<String> problems = new ArrayList<>();
        require(problems, Boolean.TRUE.equals(podContext.get("runAsNonRoot")), "runAsNonRoot is not true");
        require(problems, podContext.get("runAsUser") instanceof Integer u && u > 0, "no non-root runAsUser");
        require(problems, podContext.get("runAsGroup") instanceof Integer g && g > 0, "no non-root runAsGroup");
        require(problems, !Boolean.TRUE.equals(context.get("privileged")), "the container is privileged");
        require(problems, Boolean.FALSE.equals(context.get("allowPrivilegeEscalation")),
                "allowPrivilegeEscalation is not false");
        require(problems, Boolean.TRUE.equals(context.get("readOnlyRootFilesystem")),
                "the root file system is writable");
        require(problems, List.of("ALL").equals(Yaml.at(context, "capabilities", "drop")),
                "capabilities not all dropped");
        require(problems, "RuntimeDefault".equals(Yaml.at(podContext, "seccompProfile", "type"))
                || "RuntimeDefault".equals(Yaml.at(context, "seccompProfile", "type")), "no RuntimeDefault seccomp");
        require(problems, Boolean.FALSE.equals(pod.get("automountServiceAccountToken")),
                "the service account token is mounted");
        return ReadinessItem.of("Hardened security context", List.of("container-security-context-privileged",
                "container-security-context-readonlyrootfilesystem", "container-security-context-user-group-id",
                "container-seccomp-profile"),
                List.of("pod " + podContext, "container " + context,
                        "automountServiceAccountToken " + pod.get("automountServiceAccountToken"),
                        "user and group 185 are the image's own; kube-score's user-group-id check also wants ids "
                                + "above 10000, which this review does not require"), problems);
    }

    ReadinessItem networkPolicy() {
        Map<String, String> labels = Yaml.map(deployment, "spec", "template", "metadata", "labels").entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> selecting = env.ofKind("NetworkPolicy").stream()
                .filter(p -> labels.entrySet().containsAll(Yaml.map(p, "spec", "podSelector", "matchLabels").entrySet()
                        .stream().map(e -> Map.entry(e.getKey(), String.valueOf(e.getValue()))).toList()))
                .toList();
        if (selecting.isEmpty()) {
            problems.add("no NetworkPolicy selects the pods");
        }
        for (Map<String, Object> policy : selecting) {
            evidence.add("NetworkPolicy/" + Kustomize.metadata(policy).get("name") + ": types "
                    + Yaml.at(policy, "spec", "policyTypes") + ", ingress rules "
                    + Yaml.list(policy, "spec", "ingress").size());
            require(problems, String.valueOf(Yaml.at(policy, "spec", "policyTypes")).contains("Ingress"),
                    "the policy does not restrict ingress");
            Yaml.list(policy, "spec", "ingress").forEach(rule -> require(problems,
                    !Yaml.list(rule, "ports").isEmpty() && !Yaml.list(rule, "from").isEmpty(),
                    "an ingress rule admits every source or every port: " + rule));
        }
        return ReadinessItem.of("NetworkPolicy", List.of("pod-networkpolicy", "networkpolicy-targets-pod"), evidence,
                problems);
    }

    ReadinessItem alertsHaveRunbooks() {
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : alerts()) {
            String runbook = String.valueOf(Yaml.at(rule, "annotations", "runbook"));
            evidence.add(rule.get("alert") + " → " + runbook);
            require(problems, runbook.startsWith("docs/runbooks/")
                    && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(runbook.split("#")[0])),
                    rule.get("alert") + " names no runbook that exists: " + runbook);
        }
        require(problems, !evidence.isEmpty(), "no alert rules");
        return ReadinessItem.of("Every alert links a runbook that exists", List.of(), evidence, problems);
    }

    ReadinessItem alertsHavePanels() {
        Map<String, String> panelByMetric = new LinkedHashMap<>();
        String dashboard = (String) Yaml.map(env.find("ConfigMap", "stockroom-dashboard").orElse(Map.of()), "data")
                .get("stockroom.json");
        if (dashboard != null) {
            try {
                for (Object panel : (List<?>) Kustomize.YAML.readValue(dashboard, Map.class).get("panels")) {
                    Yaml.list(panel, "targets").forEach(t -> metrics((String) t.get("expr"))
                            .forEach(m -> panelByMetric.putIfAbsent(m, (String) Yaml.at(panel, "title"))));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : alerts()) {
            for (String metric : metrics((String) rule.get("expr"))) {
                String panel = panelByMetric.get(metric);
                evidence.add(rule.get("alert") + ": " + metric + " → " + (panel == null ? "no panel" : "\"" + panel
                        + "\""));
                require(problems, panel != null, rule.get("alert") + " alerts on " + metric + ", which no panel shows");
            }
        }
        return ReadinessItem.of("A dashboard panel for every alerting metric", List.of(), evidence, problems);
    }

    private List<Map<String, Object>> alerts() {
        return env.ofKind("PrometheusRule").stream().flatMap(r -> Yaml.list(r, "spec", "groups").stream())
                .flatMap(g -> Yaml.list(g, "rules").stream()).filter(r -> r.get("alert") != null).toList();
    }

    /** The metric names of a PromQL expression, by their selectors. */
    static Set<String> metrics(String promql) {
        Set<String> names = new java.util.LinkedHashSet<>();
        Matcher m = METRIC.matcher(promql == null ? "" : promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static void require(List<String> problems, boolean holds, String problem) {
        if (!holds) {
            problems.add(problem);
        }
    }
}
