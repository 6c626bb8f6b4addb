using System.CommandLine;
using Edge.Micro.Cli.Commands;
using Edge.Micro.Converter;
using Edge.Micro.Runtime;

namespace Edge.Micro.Cli;

/// <summary>Exit codes of edge-micro.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work ran and found a failure (verify mismatch).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: a usage error, a missing file, a model that cannot be read or converted.</summary>
    public const int BadInput = 2;
}

/// <summary>Builds the command tree and runs it with errors as one line (stack traces only with --verbose).</summary>
public static class Cli
{
    /// <summary>--verbose: show stack traces of errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show the full details (stack trace) of errors",
        Recursive = true,
    };

    /// <summary>A --kernels option (each command gets its own instance).</summary>
    public static Option<string?> KernelsOption() => new Option<string?>("--kernels")
    {
        Description = "Kernels to run: managed or native (default: native when libedge_micro_native is present)",
    }.AcceptOnlyFromAmong(Edge.Micro.Host.Native.KernelChoice.Names);

    /// <summary>A --threshold option (each command gets its own instance): read it with <see cref="Thresholds"/>.</summary>
    public static Option<string?> ThresholdOption(string what) => new("--threshold")
    {
        Description = $"Detection threshold on the averaged 0..255 score {what}: one for every label (190) or per label (yes=200,no=180); "
            + "default: the thresholds stored in the model (convert/train --threshold), else TFLM's 200",
    };

    /// <summary>convert and train's --threshold: the thresholds stored in the .emm (read it with <see cref="Thresholds"/>).</summary>
    public static Option<string?> StoredThresholdOption() => new("--threshold")
    {
        Description = "Detection thresholds the model was tuned with, stored in the .emm (0..255 on the averaged score): one for every label (190) "
            + "or per label (yes=200,no=180), others TFLM's 200; detect, real-speech and the device start from them",
    };

    /// <summary>A --threshold value as a threshold choice; a malformed one is a user error naming the option.</summary>
    public static Edge.Micro.Host.Audio.ThresholdChoice Thresholds(string? text)
    {
        try
        {
            return Edge.Micro.Host.Audio.ThresholdChoice.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException("--threshold: " + e.Message);
        }
    }

    /// <summary>A comma-separated option value as its trimmed, non-empty items.</summary>
    public static string[] CommaList(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(TextWriter output)
    {
        var root = new RootCommand("edge-micro: int8 keyword models on .NET nanoFramework devices (convert, inspect, run, verify)");
        root.Options.Add(Verbose);
        root.Subcommands.Add(ConvertCommand.Create(output));
        root.Subcommands.Add(InspectCommand.Create(output));
        root.Subcommands.Add(RunCommand.Create(output));
        root.Subcommands.Add(VerifyCommand.Create(output));
        root.Subcommands.Add(DetectCommand.Create(output));
        root.Subcommands.Add(BenchCommand.Create(output));
        root.Subcommands.Add(SimulateCommand.Create(output));
        root.Subcommands.Add(MonitorCommand.Create(output));
        root.Subcommands.Add(PushModelCommand.Create(output));
        root.Subcommands.Add(GatewayCommand.Create(output));
        root.Subcommands.Add(FleetCommand.Create(output));
        root.Subcommands.Add(FleetBenchCommand.Create(output));
        root.Subcommands.Add(FrontendTablesCommand.Create(output));
        root.Subcommands.Add(DatasetCommand.Create(output));
        root.Subcommands.Add(TrainCommand.Create(output));
        root.Subcommands.Add(EvaluateCommand.Create(output));
        root.Subcommands.Add(MineCommand.Create(output));
        root.Subcommands.Add(FalseAlarmsCommand.Create(output));
        root.Subcommands.Add(RecallCommand.Create(output));
        root.Subcommands.Add(RealSpeechCommand.Create(output));
        root.Subcommands.Add(SynthCommand.Create(output));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = Build(output);
        ParseResult parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            int code = parse.Invoke(config);
            return parse.Errors.Count > 0 ? ExitCodes.BadInput : code;
        }
        catch (Exception e) when (IsUserError(e))
        {
            error.WriteLine($"error: {e.Message}");
            if (parse.GetValue(Verbose))
            {
                error.WriteLine(e.ToString());
            }

            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            error.WriteLine($"error: internal error: {e.Message} (run with --verbose for details, and please report it)");
            if (parse.GetValue(Verbose))
            {
                error.WriteLine(e.ToString());
            }

            return ExitCodes.Failed;
        }
    }

    private static bool IsUserError(Exception e) =>
        e is ConverterException or ModelException or IOException or UnauthorizedAccessException or CliException or ArgumentException
            or Edge.Micro.Host.Audio.WavFormatException or NotSupportedException or Edge.Micro.Training.Synthesis.SpeechSynthesisException or InvalidDataException;
}

/// <summary>A user mistake a command detected itself (bad combination of options, wrong file size...).</summary>
public sealed class CliException(string message) : Exception(message);
