using System.CommandLine;
using Edge.Micro.Host.Audio;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro frontend-tables: writes the micro front end's precomputed tables as C (for firmware images).</summary>
public static class FrontendTablesCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Option<FileInfo?>("--c") { Description = "C file to write (interop/frontend/micro_frontend_tables.c)" };
        var csharp = new Option<FileInfo?>("--cs") { Description = "C# file to write (firmware/Edge.Micro.Audio/FrontEnd/MicroSpeechFrontendTables.cs)" };
        var command = new Command("frontend-tables", "Write the micro front end's tables (window, FFT twiddles, mel filterbank, PCAN curve) as C and/or C#") { file, csharp };
        command.SetAction(parse =>
        {
            if (parse.GetValue(file) is null && parse.GetValue(csharp) is null)
            {
                throw new CliException("give --c <file>, --cs <file> or both");
            }

            if (parse.GetValue(file) is FileInfo c)
            {
                File.WriteAllText(c.FullName, FrontendTablesCEmitter.MicroSpeechSource());
                output.WriteLine($"wrote {c.FullName}");
            }

            if (parse.GetValue(csharp) is FileInfo cs)
            {
                File.WriteAllText(cs.FullName, FrontendTablesCSharpEmitter.MicroSpeechSource());
                output.WriteLine($"wrote {cs.FullName}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
