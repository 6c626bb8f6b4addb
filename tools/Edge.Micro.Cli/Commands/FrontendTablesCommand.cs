using System.CommandLine;
using Edge.Micro.Host.Audio;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro frontend-tables: writes the micro front end's precomputed tables as C (for firmware images).</summary>
public static class FrontendTablesCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Option<FileInfo>("--c") { Description = "C file to write (interop/frontend/micro_frontend_tables.c)", Required = true };
        var command = new Command("frontend-tables", "Write the micro front end's tables (window, FFT twiddles, mel filterbank, PCAN curve) as C") { file };
        command.SetAction(parse =>
        {
            FileInfo target = parse.GetValue(file)!;
            string text = FrontendTablesCEmitter.MicroSpeechSource();
            File.WriteAllText(target.FullName, text);
            output.WriteLine($"wrote {target.FullName}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
