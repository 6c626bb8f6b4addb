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
        var input = new Option<FileInfo[]>("--input", "-i") { Description = "Raw input tensor bytes (element type of the input, little-endian); once per model input, in the model's order", Required = true };
        var outFile = new Option<FileInfo[]>("--output", "-o") { Description = "File for the raw output tensor bytes; once per model output, in the model's order", Required = true };
        var kernels = Cli.KernelsOption();
        var command = new Command("run", "Run one inference on raw tensor bytes (the corpus's input.bin / output.bin layout)") { model, input, outFile, kernels };
        command.SetAction(parse =>
        {
            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            Model m = loaded.Model;
            FileInfo[] inFiles = parse.GetValue(input)!;
            FileInfo[] outFiles = parse.GetValue(outFile)!;
            if (inFiles.Length != m.InputCount || outFiles.Length != m.OutputCount)
            {
                throw new CliException($"the model has {m.InputCount} input(s) and {m.OutputCount} output(s): give --input {m.InputCount} time(s) and --output {m.OutputCount} time(s), in the model's order (edge-micro inspect lists them)");
            }

            var interpreter = new Interpreter(m, KernelChoice.Resolve(parse.GetValue(kernels)));
            for (int i = 0; i < inFiles.Length; i++)
            {
                if (!inFiles[i].Exists)
                {
                    throw new CliException($"input file not found: {inFiles[i].FullName}");
                }

                byte[] data = File.ReadAllBytes(inFiles[i].FullName);
                int need = m.ByteSize(m.InputTensor(i));
                if (data.Length != need)
                {
                    throw new CliException($"{inFiles[i].Name} has {data.Length} bytes; the model's input {i} needs {need}");
                }

                interpreter.SetInput(i, data, 0);
            }

            interpreter.Invoke();
            for (int o = 0; o < outFiles.Length; o++)
            {
                var result = new byte[m.ByteSize(m.OutputTensor(o))];
                interpreter.GetOutput(o, result, 0);
                File.WriteAllBytes(outFiles[o].FullName, result);
                output.WriteLine($"wrote {result.Length} bytes to {outFiles[o].FullName} ({interpreter.Kernels.Name} kernels)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
