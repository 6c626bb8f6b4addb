namespace Edge.Micro.Cli;

/// <summary>Entry point of the edge-micro tool.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args) => Cli.Run(args, Console.Out, Console.Error);
}
