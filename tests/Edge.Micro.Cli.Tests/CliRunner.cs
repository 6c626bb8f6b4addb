namespace Edge.Micro.Cli.Tests;

/// <summary>Runs edge-micro in process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Edge.Micro.Cli.Cli.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
