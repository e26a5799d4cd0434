package dev.stockroom.load.audit;

import java.util.List;

/** What one check found: how many violations, and the first few, as printable rows. */
public record Outcome(String name, long violations, List<String> examples, String detail) {

    public boolean passed() {
        return violations == 0;
    }

    public String line() {
        return (passed() ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : " — " + detail)
                + (passed() ? "" : " — " + violations + " violation(s), e.g. " + String.join("; ", examples));
    }
}
