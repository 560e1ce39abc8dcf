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
        description = {"Tells where an STM program's time went: set STM_LOG=FILE, run it, then ask stmlog.", ""},
        commandListHeading = "%nVerbs:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  STM_LOG=app.stmlog java -jar app.jar && stmlog top app.stmlog",
            "  stmlog record -- java -jar app.jar",
            "  stmlog summary --format json app.stmlog",
            "  stmlog check app.stmlog",
            "  stmlog report -o report app.stmlog               (HTML page, PNG charts, CSV files)",
            "  stmlog export --to trace -o app.json app.stmlog  (Perfetto UI; also collapsed, speedscope)",
            "  stmlog scale --threads 1,2,4 -o scale-out -- java -jar app.jar --threads {threads}",
            "  stmlog diff --fail-if 'lost > +10%%' before.stmlog after.stmlog   (each site's change; CI guard)",
            "  stmlog watch app.stmlog                          (a live top of a log being written)",
            "  source <(stmlog completion bash)                 (shell completion; zsh too)",
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
        Environment env = Environment.system();
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, true);
        int status;
        try {
            status = run(new Stmlog(env, System.out, System.err), env, out, err, true, args);
        } finally {
            out.flush();
            err.flush();
        }
        System.exit(status);
    }

    /** Runs the tool in this JVM, writing to {@code out} and {@code err}; returns the exit status. */
    public static int run(Environment env, PrintWriter out, PrintWriter err, String... args) {
        return run(env, out, err, true, args);
    }

    /** As above; {@code plainPypy} false sends {@code top --style pypy} through picocli too (for tests). */
    static int run(Environment env, PrintWriter out, PrintWriter err, boolean plainPypy, String... args) {
        try {
            return run(new Stmlog(env), env, out, err, plainPypy, args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int run(Stmlog root, Environment env, PrintWriter out, PrintWriter err, boolean plainPypy,
                           String[] args) {
        PypyStyle.Request plain = plainPypy ? PypyStyle.parsePlain(args) : null;
        if (plain == null) return commandLine(root, env, out, err, args).execute(args);
        // what picocli's execute would do with this command line, without picocli's start-up
        try {
            return new PypyStyle(plain, out, err, root.rawOut, root.rawErr).run();
        } catch (Exception e) {
            return failure(e, "stmlog top", err, env);
        }
    }

    /** The verbs, in the order the help lists them. */
    private static final String[] VERBS = {"top", "summary", "check", "print", "record", "report", "scale", "export", "diff",
            "watch", "completion"};

    private static Object verb(String name) {
        return switch (name) {
            case "top" -> new TopCommand();
            case "summary" -> new SummaryCommand();
            case "check" -> new CheckCommand();
            case "print" -> new PrintCommand();
            case "record" -> new RecordCommand();
            case "report" -> new ReportCommand();
            case "scale" -> new ScaleCommand();
            case "export" -> new ExportCommand();
            case "diff" -> new DiffCommand();
            case "watch" -> new WatchCommand();
            case "completion" -> new CompletionCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static CommandLine commandLine(Stmlog root, Environment env, PrintWriter out, PrintWriter err, String[] args) {
        CommandLine cmd = new CommandLine(root);
        // Only the verb named first is given to picocli, which builds each verb's model by
        // reflection at start-up; help, no verb or an unknown one gets them all, so usage, the
        // verb list and did-you-mean are unchanged.
        String first = args.length > 0 ? args[0] : null;
        boolean oneVerb = false;
        for (String v : VERBS) oneVerb |= v.equals(first);
        for (String v : VERBS) {
            if (!oneVerb || v.equals(first)) cmd.addSubcommand(v, verb(v));
        }
        if (!oneVerb) cmd.addSubcommand("help", new CommandLine.HelpCommand());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setUsageHelpAutoWidth(env.stdoutTerminal());
        String noColor = env.get("NO_COLOR");
        boolean color = env.stdoutTerminal() && (noColor == null || noColor.isEmpty());
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(color ? Ansi.ON : Ansi.OFF));
        // 'record' passes everything from COMMAND on to the command, options included
        CommandLine record = cmd.getSubcommands().get("record");
        if (record != null) record.setStopAtPositional(true);
        cmd.setParameterExceptionHandler(Stmlog::usageError);
        cmd.setExecutionExceptionHandler((e, c, parseResult) -> failure(e, c.getCommandSpec().qualifiedName(), c.getErr(), env));
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

    /** A verb's failure: one line on stderr ({@code where} names the verb for usage errors) and the status. */
    private static int failure(Exception e, String where, PrintWriter err, Environment env) {
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
