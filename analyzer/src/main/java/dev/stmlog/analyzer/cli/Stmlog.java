package dev.stmlog.analyzer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code stmlog}: reads the conflict logs that the STM runtime writes when {@code STM_LOG} is
 * set. One class per verb; errors are one line on stderr and an exit status: 0 success, 1 bad
 * data, 2 bad usage. No stack traces (unless {@code STMLOG_DEBUG} is set).
 */
@Command(name = "stmlog", mixinStandardHelpOptions = true, versionProvider = Stmlog.Version.class,
        subcommands = {TopCommand.class, SummaryCommand.class, CheckCommand.class, PrintCommand.class,
                RecordCommand.class, ReportCommand.class, ScaleCommand.class, CommandLine.HelpCommand.class},
        description = {"Tells where an STM program's time went: set STM_LOG=FILE, run it, then ask stmlog.", ""},
        commandListHeading = "%nVerbs:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  STM_LOG=app.stmlog java -jar app.jar && stmlog top app.stmlog",
            "  stmlog record -- java -jar app.jar",
            "  stmlog summary --format json app.stmlog",
            "  stmlog check app.stmlog",
            "  stmlog report -o report app.stmlog               (HTML page, PNG charts, CSV files)",
            "  stmlog scale --threads 1,2,4 -o scale-out -- java -jar app.jar --threads {threads}",
            "  stmlog top --help",
            "",
            "Exit status: 0 success, 1 bad data (missing file, not a log, nothing readable; check: a"
                + " damaged log), 2 bad usage."})
public final class Stmlog implements Callable<Integer> {
    public static final int OK = 0;
    public static final int DATA_ERROR = 1;
    public static final int USAGE_ERROR = 2;

    @Spec
    CommandSpec spec;

    private final Environment environment;

    /**
     * The process's own stdout and stderr, when running as the real tool: {@code top --style pypy}
     * writes its bytes there unchanged (markers need not be UTF-8). Null in tests.
     */
    final OutputStream rawOut;
    final OutputStream rawErr;

    public Stmlog(Environment environment) {
        this(environment, null, null);
    }

    private Stmlog(Environment environment, OutputStream rawOut, OutputStream rawErr) {
        this.environment = environment;
        this.rawOut = rawOut;
        this.rawErr = rawErr;
    }

    Environment environment() {
        return environment;
    }

    @Override
    public Integer call() {
        throw new UsageException("a verb is needed: " + String.join(", ", verbs(spec.commandLine())));
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, true);
        CommandLine cmd = commandLine(new Stmlog(Environment.system(), System.out, System.err), Environment.system(), out, err);
        int status;
        try {
            status = cmd.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
        System.exit(status);
    }

    /** Runs the tool in this JVM, writing to {@code out} and {@code err}; returns the exit status. */
    public static int run(Environment env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine(env, out, err);
        try {
            return cmd.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(Environment env, PrintWriter out, PrintWriter err) {
        return commandLine(new Stmlog(env), env, out, err);
    }

    private static CommandLine commandLine(Stmlog root, Environment env, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(root);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setUsageHelpAutoWidth(env.stdoutTerminal());
        String noColor = env.get("NO_COLOR");
        boolean color = env.stdoutTerminal() && (noColor == null || noColor.isEmpty());
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(color ? Ansi.ON : Ansi.OFF));
        // 'record' passes everything from COMMAND on to the command, options included
        cmd.getSubcommands().get("record").setStopAtPositional(true);
        cmd.setParameterExceptionHandler(Stmlog::usageError);
        cmd.setExecutionExceptionHandler((e, c, parseResult) -> failure(e, c, env));
        cmd.setExitCodeExceptionMapper(t -> t instanceof UsageException ? USAGE_ERROR : DATA_ERROR);
        return cmd;
    }

    /** A command-line error: one line, with a did-you-mean when picocli has suggestions. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        String where = c.getCommandSpec().qualifiedName();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            boolean verb = c.getParent() == null && !unmatched.isEmpty() && !unmatched.get(0).startsWith("-");
            List<String> suggestions = unmatched.isEmpty() ? u.getSuggestions()
                    : Suggestions.closest(unmatched.get(0), verb ? verbs(c) : c.getCommandSpec().optionsMap().keySet(),
                            u.getSuggestions());
            if (verb) {
                message = "unknown verb '" + unmatched.get(0) + "'";
            } else if (u.isUnknownOption()) {
                message = "unknown option '" + unmatched.get(0) + "'";
            }
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + suggestions.stream().limit(3).map(s -> "'" + s + "'")
                        .collect(Collectors.joining(" or ")) + "?";
            } else if (verb) {
                message += "; the verbs are " + String.join(", ", verbs(c));
            }
        }
        err.println(where + ": " + message + " (see '" + where + " --help')");
        err.flush();
        return USAGE_ERROR;
    }

    private static int failure(Exception e, CommandLine c, Environment env) {
        PrintWriter err = c.getErr();
        String where = c.getCommandSpec().qualifiedName();
        int status;
        String message;
        if (e instanceof UsageException) {
            status = USAGE_ERROR;
            message = where + ": " + e.getMessage() + " (see '" + where + " --help')";
        } else if (e instanceof DataException) {
            status = DATA_ERROR;
            message = "stmlog: " + e.getMessage();
        } else if (e instanceof NoSuchFileException n) {
            status = DATA_ERROR;
            message = "stmlog: " + n.getFile() + ": no such file";
        } else if (e instanceof AccessDeniedException a) {
            status = DATA_ERROR;
            message = "stmlog: " + a.getFile() + ": permission denied";
        } else if (e instanceof java.io.IOException io) {
            status = DATA_ERROR;
            message = "stmlog: " + io.getMessage();
        } else {
            status = DATA_ERROR;
            message = "stmlog: internal error: " + e + " (set STMLOG_DEBUG=1 for the stack trace)";
        }
        err.println(message.replace('\n', ' '));
        if (env.get("STMLOG_DEBUG") != null) e.printStackTrace(err);
        err.flush();
        return status;
    }

    private static List<String> verbs(CommandLine c) {
        return c.getSubcommands().keySet().stream().filter(v -> !v.equals("help")).toList();
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Stmlog.class.getPackage().getImplementationVersion();
            return new String[] {"stmlog " + (v == null ? "(development build)" : v)};
        }
    }
}
