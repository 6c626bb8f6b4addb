using System.CommandLine;
using Edge.Micro.Host;
using Edge.Micro.Host.Native;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro evaluate: a model's int8 accuracy and confusion on a dataset's held-out clips.</summary>
public static class EvaluateCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "Keyword model (.tflite or .emm) taking the dataset's 49x40 int8 features" };
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset folder made by edge-micro dataset", Required = true };
        var all = new Option<bool>("--all") { Description = "Evaluate every clip, not only the held-out voices' clips" };
        var kernels = Cli.KernelsOption();
        var command = new Command("evaluate", "Run a keyword model over a dataset's held-out clips (int8, as on the device) and print accuracy and confusion; compares models on the same clips")
        {
            model, data, all, kernels,
        };
        command.SetAction(parse =>
        {
            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            Dataset dataset = Dataset.Load(parse.GetValue(data)!.FullName);
            int[] clips = parse.GetValue(all) ? Enumerable.Range(0, dataset.Count).ToArray() : dataset.Split(validation: true);
            if (clips.Length == 0)
            {
                throw new CliException("the dataset has no held-out clips (made with --validation 0); give --all to evaluate every clip");
            }

            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            float accuracy;
            int[,] confusion;
            try
            {
                (accuracy, confusion) = Int8Evaluator.Evaluate(loaded.Emm, dataset, clips, kernelSet);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"{parse.GetValue(model)!.Name} does not fit the dataset: {e.Message}");
            }

            string which = parse.GetValue(all) ? "all clips" : "held-out voices";
            output.WriteLine($"{parse.GetValue(model)!.Name} on {clips.Length} clips ({which}) of {parse.GetValue(data)!.FullName}: int8 accuracy {accuracy:P1} ({kernelSet.Name} kernels)");
            ConfusionTable.Write(output, dataset.Labels, confusion);
            return ExitCodes.Ok;
        });
        return command;
    }
}
