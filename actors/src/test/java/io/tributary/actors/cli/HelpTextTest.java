package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every help text of every command is a valid format string: picocli runs descriptions through
 * {@code String.format}, and a lone {@code %} (as in "95% of samples") made it print a warning and the raw text on
 * every {@code tributary --help}.
 */
class HelpTextTest {
    @Test
    void everyDescriptionFormatsCleanly() {
        List<String> checked = new ArrayList<>();
        check(new CommandLine(new Main()), checked);
        assertTrue(checked.size() > 50, "expected the descriptions of every command, got " + checked.size());
    }

    private static void check(CommandLine cl, List<String> checked) {
        CommandSpec spec = cl.getCommandSpec();
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        for (ArgSpec a : spec.args()) {
            texts.addAll(List.of(a.description()));
        }
        for (String t : texts) {
            try {
                String.format(Locale.ROOT, t);
            } catch (IllegalFormatException e) {
                fail("help text of '" + spec.qualifiedName() + "' is not a valid format string (" + e + "): " + t);
            }
            checked.add(t);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            check(sub, checked);
        }
    }
}
