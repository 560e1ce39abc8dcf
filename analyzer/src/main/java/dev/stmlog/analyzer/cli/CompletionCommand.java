package dev.stmlog.analyzer.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code stmlog completion bash|zsh}: prints a shell completion script (picocli's {@link AutoComplete}). */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {
            "Prints a script that completes stmlog's verbs, options and their values in bash or zsh.",
            "",
            "zsh runs the same script as bash through its bashcompinit (the script loads it itself).",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(stmlog completion bash)                 (this shell; or add the line to ~/.bashrc)",
            "  stmlog completion bash > /etc/bash_completion.d/stmlog",
            "  source <(stmlog completion zsh)                  (in ~/.zshrc)",
            "",
            "Exit status: 0 success, 2 for a wrong command line."})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Stmlog root;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    enum Shell { BASH, ZSH }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Environment env = root != null ? root.environment() : Environment.plain(java.util.Map.of());
        // the command line as help sees it, every verb registered (a run names one, and gets only that one)
        CommandLine all = Stmlog.commandLine(new Stmlog(env), env, out, err, new String[0]);
        out.print(AutoComplete.bash("stmlog", all));
        out.flush();
        return Stmlog.OK;
    }
}
