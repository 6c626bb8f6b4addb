using System.CommandLine;
using Edge.Micro.Host;
using Edge.Micro.Host.Native;
using Edge.Micro.Runtime;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro run: one inference from a raw input file to a raw output file.</summary>
public static class RunCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file (.tflite or .emm)" };
        var input = new Option<FileInfo>("--input", "-i") { Description = "Raw input tensor bytes (element type of the input, little-endian)", Required = true };
        var outFile = new Option<FileInfo>("--output", "-o") { Description = "File for the raw output tensor bytes", Required = true };
        var kernels = Cli.KernelsOption();
        var command = new Command("run", "Run one inference on raw tensor bytes (the corpus's input.bin / output.bin layout)") { model, input, outFile, kernels };
        command.SetAction(parse =>
        {
            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            Model m = loaded.Model;
            FileInfo inFile = parse.GetValue(input)!;
            if (!inFile.Exists)
            {
                throw new CliException($"input file not found: {inFile.FullName}");
            }

            byte[] data = File.ReadAllBytes(inFile.FullName);
            int need = m.ByteSize(m.InputTensor(0));
            if (m.InputCount != 1 || data.Length != need)
            {
                throw new CliException($"{inFile.Name} has {data.Length} bytes; the model's input needs {need}");
            }

            var interpreter = new Interpreter(m, KernelChoice.Resolve(parse.GetValue(kernels)));
            interpreter.SetInput(0, data, 0);
            interpreter.Invoke();
            var result = new byte[m.ByteSize(m.OutputTensor(0))];
            interpreter.GetOutput(0, result, 0);
            FileInfo target = parse.GetValue(outFile)!;
            File.WriteAllBytes(target.FullName, result);
            output.WriteLine($"wrote {result.Length} bytes to {target.FullName} ({interpreter.Kernels.Name} kernels)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
