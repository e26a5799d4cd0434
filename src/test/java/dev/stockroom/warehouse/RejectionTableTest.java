package dev.stockroom.warehouse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of dead-letter reasons in docs/events.md names exactly the reasons the code can give. */
class RejectionTableTest {

    private static final Pattern CODE = Pattern.compile("`([a-z-]+)`");

    @Test
    void reasonTable_listsExactlyTheRejectionEnum() throws IOException {
        // Given: the rows of the table under the header "| `dlq-reason` | when |"
        List<String> lines = Files.readAllLines(Path.of("docs/events.md"));
        int header = lines.indexOf("| `dlq-reason` | when |");
        assertThat(header).as("the reason table's header in docs/events.md").isNotNegative();
        Set<String> documented = new TreeSet<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            Matcher codes = CODE.matcher(line.split("\\|")[1]);
            while (codes.find()) {
                documented.add(codes.group(1));
            }
        }

        // Then
        assertThat(documented).isEqualTo(Arrays.stream(Rejection.values()).map(Rejection::code)
                .collect(Collectors.toCollection(TreeSet::new)));
    }
}
