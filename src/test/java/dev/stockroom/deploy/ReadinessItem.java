package dev.stockroom.deploy;

import java.util.List;

/**
 * One item of the production readiness review: what it checks, the kube-score checks it follows where there is
 * one, whether it holds, and the evidence read from what will be deployed.
 */
record ReadinessItem(String title, List<String> kubeScore, boolean green, List<String> evidence) {

    static ReadinessItem of(String title, List<String> kubeScore, List<String> evidence, List<String> problems) {
        List<String> all = new java.util.ArrayList<>(evidence);
        problems.forEach(p -> all.add("RED: " + p));
        return new ReadinessItem(title, kubeScore, problems.isEmpty(), List.copyOf(all));
    }
}
