package dev.stockroom.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checks {@code deploy/} without a cluster: every file parses into its Kubernetes kind, and each rendered
 * environment agrees with the application (ports, probe paths, shutdown timing), with itself (selectors) and with
 * the database (the connection budget). Staging must size the database side exactly like production.
 */
class ManifestTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Path FIXTURES = Path.of("src/test/resources/deploy-fixtures");
    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    private static final Set<String> TYPED_KINDS = Set.of("Deployment", "Service", "ConfigMap",
            "PodDisruptionBudget", "NetworkPolicy", "HorizontalPodAutoscaler");

    /** Custom resources without a typed model: the spec fields this project may use, and those it must set. */
    private static final Map<String, Set<String>> CUSTOM_SPEC_FIELDS = Map.of(
            "ServiceMonitor", Set.of("selector", "endpoints", "podTargetLabels", "namespaceSelector", "jobLabel",
                    "targetLabels"),
            "PrometheusRule", Set.of("groups"),
            "ScaledObject", Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "pollingInterval",
                    "cooldownPeriod", "advanced", "triggers", "fallback"),
            "Rollout", Set.of("replicas", "selector", "template", "workloadRef", "strategy", "revisionHistoryLimit",
                    "minReadySeconds", "progressDeadlineSeconds"),
            "AnalysisTemplate", Set.of("args", "metrics"));
    private static final Map<String, List<List<Object>>> CUSTOM_REQUIRED = Map.of(
            "ServiceMonitor", List.of(List.of("spec", "selector"), List.of("spec", "endpoints", 0, "port")),
            "PrometheusRule", List.of(List.of("spec", "groups", 0, "rules", 0, "expr")),
            "ScaledObject", List.of(List.of("spec", "scaleTargetRef", "name"), List.of("spec", "maxReplicaCount"),
                    List.of("spec", "triggers", 0, "type")),
            "Rollout", List.of(List.of("spec", "selector"), List.of("spec", "strategy", "canary", "steps")),
            "AnalysisTemplate", List.of(List.of("spec", "metrics", 0, "provider", "prometheus", "query")));

    /** Prometheus names the service exports (see docs/operations.md); queries may use no others. */
    private static final Set<String> KNOWN_METRICS = Set.of(
            "http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
            "http_server_requests_seconds_sum", "http_server_requests_seconds_max",
            "agroal_active_count", "agroal_awaiting_count", "agroal_available_count", "agroal_max_used_count",
            "hikaricp_connections_active", "hikaricp_connections_pending", "hikaricp_connections_idle",
            "hikaricp_connections_max", "hikaricp_connections_timeout_total",
            "stockroom_availability_reads_total", "cache_gets_total", "cache_evictions_total", "cache_size",
            "stockroom_hold_expiry_lateness_seconds_bucket", "stockroom_hold_expiry_lateness_seconds_count",
            "stockroom_hold_expiry_lateness_seconds_max", "stockroom_stock_oversold_total",
            "stockroom_warehouse_dead_letters_total", "kafka_consumer_fetch_manager_records_lag_max",
            "stockroom_outbox_oldest_age_seconds",
            "stockroom_holds_batch_size_sum", "stockroom_holds_batch_size_count", "stockroom_holds_batch_size_bucket",
            "stockroom_holds_queue_depth", "stockroom_holds_queue_capacity", "stockroom_holds_shed_total",
            "stockroom_holds_queue_time_seconds_bucket", "stockroom_holds_batch_duration_seconds_bucket",
            // movement history and reports
            "stockroom_history_partitions_horizon_days", "stockroom_history_rollup_lag_seconds",
            "stockroom_history_partitions_awaiting_archive", "stockroom_history_reports_rejected_total",
            // Feature flags: evaluations by flag and variant, and the rejected-file alert.
            "stockroom_flag_evaluations_total", "stockroom_flags_file_rejected");
    private static final Pattern METRIC_SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    private static final Set<String> REQUIRED_ALERTS = Set.of("StockroomHigh5xxRatio", "StockroomHoldLatencyP99High",
            "StockroomWritePoolSaturated", "StockroomReadPoolSaturated", "StockroomStaleServeRatioHigh",
            "StockroomConsumerLagHigh", "StockroomDeadLettersGrowing", "StockroomHoldExpiryLate",
            "StockroomOversoldByShrinkage", "StockroomHoldQueueFull",
            // movement history and reports
            "StockroomLedgerPartitionsRunningOut", "StockroomRollupBehind", "StockroomLedgerPartitionsAwaitingArchive",
            "StockroomReportsShed", "StockroomFlagFileRejected");

    /** Keys whose values must be the same in staging and production: they decide contention. */
    private static final Pattern PARITY_KEY =
            Pattern.compile(".*(POOL_SIZE|BULKHEAD|DATABASE_MAX_CONNECTIONS|RESERVE_CONNECTIONS).*");

    // ---------------------------------------------------------------- every file

    @Test
    void everyManifest_parsesIntoItsKind_withoutUnknownFields() throws IOException {
        // Given every YAML file under deploy/ that is not a kustomization
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(10);

        // When each document is parsed with the fabric8 model
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            for (Object doc : Kustomize.readDocuments(file)) {
                if (doc instanceof List<?> ops) {
                    ops.forEach(op -> {
                        if (!(op instanceof Map<?, ?> m) || m.get("op") == null || m.get("path") == null) {
                            problems.add(file + ": JSON patch operation without op or path: " + op);
                        }
                    });
                    continue;
                }
                problems.addAll(typedProblems(file.toString(), asMap(doc)));
            }
        }

        // Then each is its typed kind (or a known custom resource) and no field went unrecognised
        assertThat(problems).isEmpty();
    }

    @Test
    void typedProblems_misspelledField_isReported() {
        // Given a Deployment whose container misspells resources
        Map<String, Object> deployment = asMap(Kustomize.readDocuments(DEPLOY.resolve("base/deployment.yaml")).get(0));
        Map<String, Object> container = Yaml.list(deployment, "spec", "template", "spec", "containers").get(0);
        container.put("resource", container.remove("resources"));

        // When it is checked / Then the unknown field is named with its path
        assertThat(typedProblems("deployment", deployment))
                .singleElement().asString().contains("resource").contains("containers");
    }

    @Test
    void render_kustomizationFieldTheRendererLacks_isRefused() {
        // Given a kustomization with commonLabels, which the test renderer does not implement
        Path dir = FIXTURES.resolve("unsupported-field");

        // When it is rendered / Then it fails loudly instead of rendering something kubectl would not
        assertThatThrownBy(() -> Rendered.of(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("commonLabels");
    }

    // ---------------------------------------------------------------- each rendered environment

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void render_everyResource_parsesIntoItsKindWithRequiredFields(String env) {
        // Given the rendered environment
        Rendered rendered = Rendered.of(DEPLOY.resolve(env));

        // When each resource is parsed / Then nothing is unknown or missing
        List<String> problems = new ArrayList<>();
        rendered.resources().forEach(r -> problems.addAll(typedProblems(env, r)));
        for (Map<String, Object> r : rendered.resources()) {
            for (List<Object> path : CUSTOM_REQUIRED.getOrDefault((String) r.get("kind"), List.of())) {
                if (Yaml.at(r, path.toArray()) == null) {
                    problems.add(env + ": " + r.get("kind") + " lacks " + path);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(rendered.resources()).allSatisfy(r -> assertThat(Kustomize.metadata(r).get("namespace"))
                .isEqualTo("stockroom"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void render_probesAndPorts_matchTheApplication(String env) throws IOException {
        // Given the application's ports and health paths, from application.properties or Quarkus defaults
        Properties app = applicationProperties();
        int managementPort = Integer.parseInt(prod(app, "quarkus.management.port", "9000"));
        int httpPort = Integer.parseInt(prod(app, "quarkus.http.port", "8080"));
        String health = prod(app, "quarkus.management.root-path", "/q") + "/"
                + prod(app, "quarkus.smallrye-health.root-path", "health");

        // When the rendered pod spec is read
        Container c = container(Rendered.of(DEPLOY.resolve(env)));
        Map<String, Integer> ports = c.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));

        // Then every probe asks the management port for the matching health check, and the API port is right
        assertThat(ports).containsEntry("http", httpPort).containsEntry("management", managementPort);
        assertProbe(c.getStartupProbe().getHttpGet(), health + "/started", managementPort, ports);
        assertProbe(c.getReadinessProbe().getHttpGet(), health + "/ready", managementPort, ports);
        assertProbe(c.getLivenessProbe().getHttpGet(), health + "/live", managementPort, ports);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void render_selectors_matchPodLabels(String env) {
        // Given the rendered environment and its pod labels
        Rendered rendered = Rendered.of(DEPLOY.resolve(env));
        Deployment deployment = typed(rendered.one("Deployment"), Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        // Then every selector picks the pods, and the ServiceMonitor picks the Service
        assertThat(selects(deployment.getSpec().getSelector(), podLabels)).as("Deployment").isTrue();
        assertThat(podLabels).containsAllEntriesOf(typed(rendered.one("Service"), Service.class).getSpec()
                .getSelector());
        assertThat(selects(typed(rendered.one("PodDisruptionBudget"), PodDisruptionBudget.class).getSpec()
                .getSelector(), podLabels)).as("PodDisruptionBudget").isTrue();
        assertThat(selects(typed(rendered.one("NetworkPolicy"), NetworkPolicy.class).getSpec().getPodSelector(),
                podLabels)).as("NetworkPolicy").isTrue();
        Map<String, Object> serviceLabels = Yaml.map(rendered.one("Service"), "metadata", "labels");
        assertThat(serviceLabels).containsAllEntriesOf(Yaml.map(rendered.one("ServiceMonitor"), "spec", "selector",
                "matchLabels"));
        rendered.find("Rollout", "stockroom").ifPresent(rollout -> {
            assertThat(podLabels).containsAllEntriesOf(asStrings(Yaml.map(rollout, "spec", "selector", "matchLabels")));
            assertThat(Yaml.at(rollout, "spec", "workloadRef", "name")).isEqualTo("stockroom");
        });

        // And the autoscaler scales the workload that owns the pods
        assertThat(autoscalerTargetProblems(rendered)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"keda-only", "argo-rollouts-only"})
    void components_eachAlone_scaleTheWorkloadThatOwnsThePodsWithinBudget(String fixture) {
        // Given base with one component
        Rendered rendered = Rendered.of(FIXTURES.resolve(fixture));

        // Then there is one autoscaler, it targets the right workload, and the budget holds
        assertThat(rendered.autoscaler().get("kind"))
                .isEqualTo(fixture.startsWith("keda") ? "ScaledObject" : "HorizontalPodAutoscaler");
        assertThat(autoscalerTargetProblems(rendered)).isEmpty();
        assertThat(DeployBudget.of(rendered).violations()).isEmpty();
    }

    @Test
    void components_argoRolloutsBeforeKeda_isCaught() {
        // Given the components in the wrong order
        Rendered rendered = Rendered.of(FIXTURES.resolve("argo-rollouts-before-keda"));

        // Then the ScaledObject scales the Deployment although a Rollout owns the pods, and the check says so
        assertThat(autoscalerTargetProblems(rendered)).singleElement().asString()
                .contains("ScaledObject scales Deployment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void render_pod_hasResourcesSecurityAndCredentialsFromASecret(String env) {
        // Given the rendered pod
        Rendered rendered = Rendered.of(DEPLOY.resolve(env));
        PodSpec pod = typed(rendered.one("Deployment"), Deployment.class).getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);

        // Then requests and limits are set, it runs non-root, read-only, with no capabilities
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getTopologySpreadConstraints()).extracting("topologyKey")
                .contains("topology.kubernetes.io/zone");

        // And configuration comes from the ConfigMap, credentials from a Secret that is not in Git
        assertThat(c.getEnvFrom()).extracting(e -> e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName())
                .contains("stockroom-config");
        assertThat(c.getEnvFrom()).extracting(e -> e.getSecretRef() == null ? null : e.getSecretRef().getName())
                .contains("stockroom-credentials");
        assertThat(rendered.ofKind("Secret")).isEmpty();
        assertThat(rendered.config().keySet()).noneMatch(k -> k.matches(".*(PASSWORD|SECRET|TOKEN|KEY).*"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void render_terminationGrace_coversPreStopAndShutdownTimeout(String env) throws IOException {
        // Given the application's shutdown delay and timeout (ConfigMap over application.properties)
        Rendered rendered = Rendered.of(DEPLOY.resolve(env));
        Properties app = applicationProperties();
        Map<String, String> config = rendered.config();
        Duration delay = quarkusDuration(config.getOrDefault("QUARKUS_SHUTDOWN_DELAY",
                expand(prod(app, "quarkus.shutdown.delay", "0"), config)));
        Duration timeout = quarkusDuration(config.getOrDefault("QUARKUS_SHUTDOWN_TIMEOUT",
                expand(prod(app, "quarkus.shutdown.timeout", "0"), config)));

        // When the pod's preStop sleep and grace period are read
        PodSpec pod = typed(rendered.one("Deployment"), Deployment.class).getSpec().getTemplate().getSpec();
        String preStop = String.join(" ", pod.getContainers().get(0).getLifecycle().getPreStop().getExec()
                .getCommand());
        Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(preStop);
        assertThat(sleep.find()).as("preStop sleeps: %s", preStop).isTrue();
        long needed = Long.parseLong(sleep.group(1)) + delay.toSeconds() + timeout.toSeconds() + 5;

        // Then Kubernetes waits long enough for the sleep, the shutdown and a margin before it kills the pod
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(needed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void connectionBudget_eachEnvironment_fitsTheDatabase(String env) {
        // Given the rendered environment
        Rendered rendered = Rendered.of(DEPLOY.resolve(env));

        // When its worst moment is counted
        DeployBudget budget = DeployBudget.of(rendered);

        // Then it fits the connection limit it declares
        assertThat(budget.violations()).isEmpty();
        assertThat(budget.atWorst().needed()).isLessThanOrEqualTo(budget.databaseMax());
    }

    @Test
    void connectionBudget_brokenFixture_isRejected() {
        // Given production with the autoscaler allowed three more pods and nothing else changed
        Rendered broken = Rendered.of(FIXTURES.resolve("broken-budget"));

        // When its budget is counted
        DeployBudget budget = DeployBudget.of(broken);

        // Then the check names the arithmetic that fails: (16 + 4 + 2) × (9 + 1) + 20 = 240 > 200
        assertThat(budget.violations()).singleElement().asString().contains("9 replicas + 1 surge")
                .contains("(write pool 16 + read pool 4 + report pool 2) × max replicas 10 + reserve 20 = 240 > "
                        + "database max_connections 200");
    }

    @Test
    void connectionBudget_surgeUncountedByTheService_isRejected() {
        // Given a budget whose declared replica count omits the rollout surge
        DeployBudget budget = new DeployBudget(6, 1, 16, 4, 2, 20, 200, 6);

        // Then it is reported even though the connections fit
        assertThat(budget.violations()).singleElement().asString().contains("STOCKROOM_BUDGET_MAX_REPLICAS=6");
    }

    @Test
    void parity_stagingAndProduction_sizeTheDatabaseSideAlike() {
        // Given the two rendered environments
        Map<String, String> staging = parityKeys(Rendered.of(DEPLOY.resolve("overlays/staging")));
        Map<String, String> production = parityKeys(Rendered.of(DEPLOY.resolve("overlays/production")));

        // Then pool sizes, bulkheads, reserve and database limit are declared and equal
        assertThat(production).containsKeys(DeployBudget.WRITE_POOL, DeployBudget.READ_POOL, DeployBudget.REPORT_POOL,
                DeployBudget.DATABASE_MAX, DeployBudget.RESERVE);
        assertThat(staging).isEqualTo(production);
    }

    @Test
    void parity_fixtureWithLargerStagingPool_isRejected() {
        // Given staging with a larger write pool than production (its budget alone would still hold)
        Rendered staging = Rendered.of(FIXTURES.resolve("staging-larger-pool"));
        assertThat(DeployBudget.of(staging).violations()).isEmpty();

        // Then the parity check sees the difference
        assertThat(parityKeys(staging))
                .isNotEqualTo(parityKeys(Rendered.of(DEPLOY.resolve("overlays/production"))))
                .containsEntry(DeployBudget.WRITE_POOL, "24");
    }

    // ---------------------------------------------------------------- network, monitoring

    @Test
    void networkPolicy_apiFromStorefrontAndWarehouse_managementFromMonitoringOnly() {
        // Given the production NetworkPolicy
        NetworkPolicy policy = typed(Rendered.of(DEPLOY.resolve("overlays/production")).one("NetworkPolicy"),
                NetworkPolicy.class);

        // When each port is mapped to the namespaces allowed to reach it
        Map<Integer, List<String>> allowed = new TreeMap<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            List<String> namespaces = new ArrayList<>();
            rule.getFrom().forEach(peer -> {
                LabelSelector ns = peer.getNamespaceSelector();
                if (ns.getMatchLabels() != null && !ns.getMatchLabels().isEmpty()) {
                    namespaces.add(ns.getMatchLabels().get("kubernetes.io/metadata.name"));
                }
                if (ns.getMatchExpressions() != null) {
                    ns.getMatchExpressions().forEach(e -> namespaces.addAll(e.getValues()));
                }
            });
            rule.getPorts().forEach(p -> allowed.computeIfAbsent(p.getPort().getIntVal(), k -> new ArrayList<>())
                    .addAll(namespaces));
        }

        // Then exactly those reach each port
        assertThat(allowed).containsOnlyKeys(8080, 9000);
        assertThat(allowed.get(8080)).containsExactlyInAnyOrder("storefront", "warehouse");
        assertThat(allowed.get(9000)).containsExactly("monitoring");
    }

    @Test
    void monitoring_everyQuery_usesExportedMetricNames() throws IOException {
        // Given every PromQL query in production: alerts, dashboard, canary analysis, KEDA trigger
        Rendered production = Rendered.of(DEPLOY.resolve("overlays/production"));
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map<String, Object> group : Yaml.list(production.one("PrometheusRule"), "spec", "groups")) {
            Yaml.list(group, "rules").forEach(r -> queries.put("alert " + r.get("alert"), (String) r.get("expr")));
        }
        String dashboard = (String) Yaml.map(production.find("ConfigMap", "stockroom-dashboard").orElseThrow(),
                "data").get("stockroom.json");
        for (Object panel : (List<?>) new ObjectMapper().readValue(dashboard, Map.class).get("panels")) {
            Yaml.list(panel, "targets").forEach(t -> queries.put("panel " + Yaml.at(panel, "title") + " "
                    + t.get("refId"), (String) t.get("expr")));
        }
        Yaml.list(production.one("AnalysisTemplate"), "spec", "metrics").forEach(m -> queries.put(
                "analysis " + m.get("name"), (String) Yaml.at(m, "provider", "prometheus", "query")));
        Yaml.list(production.one("ScaledObject"), "spec", "triggers").stream()
                .filter(t -> "prometheus".equals(t.get("type")))
                .forEach(t -> queries.put("keda", (String) Yaml.at(t, "metadata", "query")));

        // When the metric names are taken from their selectors
        Map<String, List<String>> unknown = new TreeMap<>();
        queries.forEach((where, query) -> {
            Matcher m = METRIC_SELECTOR.matcher(query);
            boolean any = false;
            while (m.find()) {
                any = true;
                if (!KNOWN_METRICS.contains(m.group(1))) {
                    unknown.computeIfAbsent(where, k -> new ArrayList<>()).add(m.group(1));
                }
            }
            if (!any) {
                unknown.computeIfAbsent(where, k -> new ArrayList<>()).add("(no metric selector)");
            }
        });

        // Then all of them are names the service exports
        assertThat(queries).containsKeys("keda", "analysis error-ratio", "analysis hold-p99");
        assertThat(queries.keySet()).filteredOn(k -> k.startsWith("panel")).hasSizeGreaterThanOrEqualTo(10);
        assertThat(unknown).isEmpty();
    }

    @Test
    void alerts_listedOnes_existAndEachNamesAnExistingRunbook() {
        // Given the alert rules
        List<Map<String, Object>> rules = Yaml.list(Rendered.of(DEPLOY.resolve("base")).one("PrometheusRule"),
                "spec", "groups").stream().flatMap(g -> Yaml.list(g, "rules").stream()).toList();

        // Then every alert the issue lists is there, and each links a runbook file in this repository
        assertThat(rules).extracting(r -> (String) r.get("alert")).containsAll(REQUIRED_ALERTS);
        assertThat(rules).allSatisfy(r -> {
            String runbook = (String) Yaml.at(r, "annotations", "runbook");
            assertThat(runbook).as("runbook of %s", r.get("alert")).startsWith("docs/runbooks/");
            assertThat(Path.of(runbook.split("#")[0])).isRegularFile();
        });
    }

    // ---------------------------------------------------------------- outbox relay identity

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void render_pod_givesTheOutboxRelayATransactionalIdFromItsNamespaceAndName(String env) {
        // Given the rendered pod's environment
        Container c = container(Rendered.of(DEPLOY.resolve(env)));
        Map<String, io.fabric8.kubernetes.api.model.EnvVar> vars = c.getEnv().stream()
                .collect(Collectors.toMap(io.fabric8.kubernetes.api.model.EnvVar::getName, v -> v));

        // Then the relay's transactional id is built from the pod's namespace and name (Downward API): unique among
        // running pods, and the same when the container restarts in its pod
        assertThat(vars.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(vars.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(vars.get("STOCKROOM_OUTBOX_TRANSACTIONAL_ID").getValue())
                .contains("$(POD_NAMESPACE)").contains("$(POD_NAME)");
        // ... and Kubernetes can expand it: the variables it names come before it
        List<String> order = c.getEnv().stream().map(io.fabric8.kubernetes.api.model.EnvVar::getName).toList();
        assertThat(order.indexOf("STOCKROOM_OUTBOX_TRANSACTIONAL_ID"))
                .isGreaterThan(order.indexOf("POD_NAME")).isGreaterThan(order.indexOf("POD_NAMESPACE"));
    }

    // ---------------------------------------------------------------- feature flags

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void render_flagFile_isMountedAsADirectoryWhereTheServiceReadsIt(String env) throws Exception {
        // Given where the service reads its flag file (FlagsConfig's default) and the rendered pod
        Path file = Path.of(dev.stockroom.platform.flags.FlagsConfig.class.getMethod("file")
                .getAnnotation(io.smallrye.config.WithDefault.class).value());
        Rendered rendered = Rendered.of(DEPLOY.resolve(env));
        PodSpec pod = typed(rendered.one("Deployment"), Deployment.class).getSpec().getTemplate().getSpec();

        // Then the flags ConfigMap holds that file, mounted as its directory without subPath (so edits reach the pod)
        String volume = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null
                && "stockroom-flags".equals(v.getConfigMap().getName())).findFirst().orElseThrow().getName();
        assertThat(pod.getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().equals(volume))
                .singleElement().satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo(file.getParent().toString());
                    assertThat(m.getSubPath()).isNullOrEmpty();
                });
        assertThat(Yaml.map(rendered.find("ConfigMap", "stockroom-flags").orElseThrow(), "data"))
                .containsKey(file.getFileName().toString());
    }

    @Test
    void flagsConfigMap_keepsItsName_soAnEditReachesRunningPods() {
        // Given the generators of the flags ConfigMap in base and staging
        List<Object> generators = new ArrayList<>();
        for (String dir : List.of("base", "overlays/staging")) {
            Yaml.list(Kustomize.readDocuments(DEPLOY.resolve(dir).resolve("kustomization.yaml")).get(0),
                    "configMapGenerator").stream().filter(g -> "stockroom-flags".equals(g.get("name")))
                    .forEach(generators::add);
        }

        // Then none adds a content hash to the name (a new name would roll the pods instead)
        assertThat(generators).hasSize(2).allSatisfy(g -> assertThat(Yaml.at(g, "options", "disableNameSuffixHash"))
                .isEqualTo(true));
    }

    // ---------------------------------------------------------------- helpers

    /** Unknown fields, wrong kinds and untyped resources of one manifest document. */
    private static List<String> typedProblems(String where, Map<String, Object> doc) {
        String kind = (String) doc.get("kind");
        String id = where + " " + kind + "/" + Yaml.at(doc, "metadata", "name");
        Map<String, Object> clean = new LinkedHashMap<>(doc);
        clean.remove("$patch"); // a Kustomize delete directive, not a resource field
        Object parsed = K8S.unmarshal(K8S.asJson(clean));
        List<String> problems = new ArrayList<>();
        if (!(parsed instanceof HasMetadata)) {
            problems.add(id + ": not a Kubernetes resource (" + parsed.getClass().getSimpleName() + ")");
            return problems;
        }
        if (parsed instanceof GenericKubernetesResource) {
            Set<String> allowed = CUSTOM_SPEC_FIELDS.get(kind);
            if (TYPED_KINDS.contains(kind) || allowed == null) {
                problems.add(id + ": no typed model or known custom resource for " + doc.get("apiVersion"));
            } else {
                Yaml.map(doc, "spec").keySet().stream().filter(k -> !allowed.contains(k))
                        .forEach(k -> problems.add(id + ": unknown field spec." + k));
            }
        } else {
            unknownFields(parsed, kind, problems, id);
        }
        return problems;
    }

    /** Walks a fabric8 model object; anything Jackson could not map lands in {@code additionalProperties}. */
    private static void unknownFields(Object node, String path, List<String> problems, String id) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, id);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, id));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(k -> problems.add(id + ": unknown field " + path + "." + k));
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                unknownFields(value, path + "." + field, problems, id);
            }
        }
    }

    /** The autoscaler must scale the Rollout when Argo Rollouts owns the pods, else the Deployment. */
    private static List<String> autoscalerTargetProblems(Rendered rendered) {
        Map<String, Object> scaler = rendered.autoscaler();
        String expected = rendered.find("Rollout", "stockroom").isPresent() ? "Rollout" : "Deployment";
        Object kind = Yaml.at(scaler, "spec", "scaleTargetRef", "kind");
        Object name = Yaml.at(scaler, "spec", "scaleTargetRef", "name");
        if (expected.equals(kind) && "stockroom".equals(name)) {
            return List.of();
        }
        return List.of("%s scales %s/%s, expected %s/stockroom".formatted(scaler.get("kind"), kind, name, expected));
    }

    private static <T> T typed(Map<String, Object> resource, Class<T> type) {
        return K8S.convertValue(resource, type);
    }

    private static Container container(Rendered rendered) {
        List<Container> containers = typed(rendered.one("Deployment"), Deployment.class).getSpec().getTemplate()
                .getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static void assertProbe(HTTPGetAction probe, String path, int port, Map<String, Integer> ports) {
        assertThat(probe.getPath()).isEqualTo(path);
        Integer resolved = probe.getPort().getStrVal() != null ? ports.get(probe.getPort().getStrVal())
                : probe.getPort().getIntVal();
        assertThat(resolved).as("port of %s", path).isEqualTo(port);
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions()).as("selectors here use matchLabels only").isNullOrEmpty();
        return !selector.getMatchLabels().isEmpty() && labels.entrySet().containsAll(selector.getMatchLabels()
                .entrySet());
    }

    private static Map<String, String> parityKeys(Rendered env) {
        return new TreeMap<>(env.config().entrySet().stream().filter(e -> PARITY_KEY.matcher(e.getKey()).matches())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            p.load(r);
        }
        return p;
    }

    /** A setting as the prod profile sees it (a literal value; expressions are not evaluated). */
    private static String prod(Properties app, String key, String fallback) {
        return app.getProperty("%prod." + key, app.getProperty(key, fallback)).strip();
    }

    /** Evaluates a {@code ${ENV_VAR:default}} expression against the pod's environment (the ConfigMap). */
    private static String expand(String value, Map<String, String> env) {
        Matcher expression = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::([^}]*))?}").matcher(value);
        if (!expression.matches()) {
            return value;
        }
        String fallback = expression.group(2) == null ? "0" : expression.group(2);
        return env.getOrDefault(expression.group(1), fallback);
    }

    /** Quarkus durations: a number of seconds, {@code 30s}/{@code 500ms}/{@code 2m}, or ISO-8601. */
    static Duration quarkusDuration(String text) {
        String t = text.strip().toLowerCase();
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.matches("\\d+[smhd]")) {
            return Duration.parse((t.endsWith("d") ? "P" : "PT") + t.toUpperCase());
        }
        return Duration.parse(t.toUpperCase());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object doc) {
        return (Map<String, Object>) doc;
    }

    private static Map<String, String> asStrings(Map<String, Object> map) {
        return map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }
}
