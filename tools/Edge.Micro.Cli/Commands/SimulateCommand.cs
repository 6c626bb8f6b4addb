using System.CommandLine;
using Edge.Micro.Host;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Host.Simulation;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro simulate: the device loop on the desktop, a WAV file as the microphone.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "Keyword model (.tflite or .emm)", Required = true };
        var wav = new Option<FileInfo>("--wav") { Description = "WAV file played as the microphone", Required = true };
        var realtime = new Option<bool>("--realtime") { Description = "Play the audio at its real rate (default: as fast as possible)" };
        var loop = new Option<bool>("--loop") { Description = "Play the audio over and over" };
        var console = new Option<string>("--console") { Description = "Where the shell is: stdio (default) or pty (socat makes a pseudo-terminal; its path is printed)", DefaultValueFactory = _ => "stdio" };
        console.AcceptOnlyFromAmong("stdio", "pty");
        var ptyPath = new Option<string?>("--pty-link") { Description = "Path for the pty link (default /tmp/edge-micro-<pid>)" };
        var store = new Option<DirectoryInfo?>("--store") { Description = "Folder standing for the device's flash: two model slots for `update` (edge-micro push-model) and the saved settings; the device runs the active slot's model, --model until an update was committed" };
        var kernels = Cli.KernelsOption();
        var command = new Command("simulate", "Run the device (front end, model, recognizer, diagnostics shell) with a WAV file as its microphone")
        {
            model, wav, realtime, loop, console, ptyPath, store, kernels,
        };
        command.SetAction(parse =>
        {
            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            short[] samples = WavReader.Read(parse.GetValue(wav)!.FullName).Samples;
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            bool native = kernelSet.Name == "native";
            FileModelStore? flash = parse.GetValue(store) is DirectoryInfo folder ? new FileModelStore(folder.FullName) : null;
            if (parse.GetValue(console) == "pty")
            {
                string path = parse.GetValue(ptyPath) ?? $"/tmp/edge-micro-{Environment.ProcessId}";
                using PseudoTerminal pty = PseudoTerminal.Open(path);
                Console.Error.WriteLine($"shell on {pty.Path} (connect with: edge-micro monitor --port {pty.Path})");
                return Simulator.Run(loaded.Model, kernelSet, native, samples, parse.GetValue(realtime), parse.GetValue(loop), pty.Port, Console.Error, flash);
            }

            var port = new StreamShellPort(Console.OpenStandardInput(), Console.OpenStandardOutput());
            return Simulator.Run(loaded.Model, kernelSet, native, samples, parse.GetValue(realtime), parse.GetValue(loop), port, Console.Error, flash);
        });
        return command;
    }
}
