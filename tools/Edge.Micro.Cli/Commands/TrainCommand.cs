using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Micro.Converter;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Inspection;
using Edge.Micro.Host.Native;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Export;
using Edge.Micro.Training.Learning;
using Edge.Micro.Training.Quantization;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro train: trains, quantizes and exports a keyword model from an edge-micro dataset.</summary>
public static class TrainCommand
{
    private const int CalibrationClips = 1000;

    public static Command Create(TextWriter output)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset folder made by edge-micro dataset", Required = true };
        var arch = new Option<string>("--arch") { Description = "Network: tiny (micro_speech's shape: conv 10x8 stride 2, fully connected), tiny2 (tiny plus a 7x5 stride-2 convolution of twice the width) or dscnn (conv 10x4 stride 2, 3 depthwise-separable blocks, average pool, fully connected)", DefaultValueFactory = _ => "tiny" };
        arch.AcceptOnlyFromAmong(Architectures.Names);
        var width = new Option<int?>("--width") { Description = "Convolution filters / channels (default 8 for tiny and tiny2, 24 for dscnn)" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training clips (default 30)", DefaultValueFactory = _ => 30 };
        var rate = new Option<float>("--learning-rate") { Description = "Peak Adam learning rate (default 0.002)", DefaultValueFactory = _ => 0.002f };
        var dropout = new Option<float?>("--dropout") { Description = "Dropout rate before the classifier in training (default 0.5 for tiny and tiny2, 0.2 for dscnn)" };
        var specAugment = new Option<bool>("--no-specaugment") { Description = "Train without time and channel masking of the features" };
        var teacher = new Option<FileInfo?>("--teacher") { Description = "A larger trained model (.tflite or .emm) whose soft labels guide training (knowledge distillation)" };
        var teacherWeight = new Option<float>("--teacher-weight") { Description = "Share of the teacher's soft labels in the targets (default 0.5)", DefaultValueFactory = _ => 0.5f };
        var prune = new Option<float>("--prune") { Description = "After training, remove this fraction of the convolution filters (smallest L1 norm) and fine-tune for a quarter of the epochs", DefaultValueFactory = _ => 0f };
        var seed = new Option<int>("--seed") { Description = "Seed of initialization, shuffling, dropout and SpecAugment (default 1)", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var outFile = new Option<FileInfo>("--output", "-o") { Description = "The int8 .tflite to write; the .emm and a .report.json go beside it", Required = true };
        var kernels = Cli.KernelsOption();
        var threshold = Cli.StoredThresholdOption();
        var command = new Command("train", "Train a keyword model on an edge-micro dataset, quantize it to int8 and export .tflite and .emm")
        {
            data, arch, width, epochs, rate, dropout, specAugment, teacher, teacherWeight, prune, seed, threads, outFile, kernels, threshold,
        };
        command.SetAction(parse =>
        {
            Dataset dataset = Dataset.Load(parse.GetValue(data)!.FullName);
            ThresholdChoice thresholdChoice = Cli.Thresholds(parse.GetValue(threshold));
            byte[]? storedThresholds = thresholdChoice.IsModelDefaults ? null : thresholdChoice.ForLabels(dataset.Labels);

            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs),
                Architecture = parse.GetValue(arch)!,
                Width = parse.GetValue(width) ?? Architectures.DefaultWidth(parse.GetValue(arch)!),
                LearningRate = parse.GetValue(rate),
                Dropout = parse.GetValue(dropout),
                SpecAugment = !parse.GetValue(specAugment),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                TeacherWeight = parse.GetValue(teacherWeight),
            };
            float pruneFraction = parse.GetValue(prune);
            if (pruneFraction is < 0 or >= 1 || options.TeacherWeight is < 0 or > 1)
            {
                throw new CliException("--prune must be in [0, 1) and --teacher-weight in [0, 1]");
            }

            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            float[]? soft = null;
            if (parse.GetValue(teacher) is FileInfo teacherFile)
            {
                var teacherModel = Edge.Micro.Host.LoadedModel.Load(teacherFile.FullName);
                soft = Teacher.Probabilities(teacherModel.Emm, dataset, kernelSet);
                output.WriteLine($"teacher {teacherFile.Name}: soft labels for {dataset.Count} clips, weight {options.TeacherWeight}");
            }

            int[] train = dataset.Split(validation: false), validation = dataset.Split(validation: true);
            output.WriteLine($"training {parse.GetValue(arch)} (width {options.Width}) on {train.Length} clips, validating on {validation.Length} clips of held-out voices; labels {string.Join(',', dataset.Labels)}");
            output.WriteLine("epoch   loss   train acc   val acc   learning rate   seconds");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            void Report(EpochReport r) =>
                output.WriteLine($"{r.Epoch,5} {r.Loss,6:F3} {r.TrainAccuracy,10:P1} {r.ValidationAccuracy,9:P1} {r.LearningRate,14:F5} {r.Seconds,9:F1}");
            Network net = Trainer.Train(dataset, options, Report, teacherProbabilities: soft);
            if (pruneFraction > 0)
            {
                Network pruned = FilterPruning.Prune(net, pruneFraction);
                output.WriteLine($"pruned {((Conv2D)net.Layers[0]).OutChannels - ((Conv2D)pruned.Layers[0]).OutChannels} of {((Conv2D)net.Layers[0]).OutChannels} filters; fine-tuning");
                net = Trainer.Train(dataset, options with { Epochs = Math.Max(1, options.Epochs / 4), LearningRate = options.LearningRate / 4 }, Report, pruned, soft);
            }
            double trainSeconds = clock.Elapsed.TotalSeconds;
            float floatAccuracy = Trainer.Evaluate(net, dataset, validation, options.Threads).Accuracy;

            int[] calibration = train.Where((_, i) => i % Math.Max(1, train.Length / CalibrationClips) == 0).Take(CalibrationClips).ToArray();
            string name = Path.GetFileNameWithoutExtension(parse.GetValue(outFile)!.Name);
            QuantizedNetwork quantized = Quantizer.Quantize(net, dataset, calibration,
                $"Edge.Micro {parse.GetValue(arch)} keyword model ({string.Join(',', dataset.Labels)}), seed {options.Seed}");
            byte[] tflite = TfLiteWriter.Write(quantized);
            ConversionResult converted = ModelConverter.Convert(tflite, name, EmmFormat.FrontEndMicro, thresholds: storedThresholds);
            string tflitePath = parse.GetValue(outFile)!.FullName;
            Directory.CreateDirectory(Path.GetDirectoryName(tflitePath)!);
            File.WriteAllBytes(tflitePath, tflite);
            string emmPath = Path.ChangeExtension(tflitePath, ".emm");
            File.WriteAllBytes(emmPath, converted.Emm);

            (float int8Accuracy, int[,] confusion) = Int8Evaluator.Evaluate(converted.Emm, dataset, validation, kernelSet);
            ModelSummary summary = ModelSummary.From(new Edge.Micro.Runtime.Model(converted.Emm));
            output.WriteLine($"validation accuracy (held-out voices): float {floatAccuracy:P1}, int8 {int8Accuracy:P1} ({kernelSet.Name} kernels)");
            ConfusionTable.Write(output, dataset.Labels, confusion);

            output.WriteLine($"wrote {tflitePath} ({tflite.Length} bytes) and {emmPath} ({converted.Emm.Length} bytes, arena {summary.ArenaBytes} bytes, {summary.TotalMacs} MACs, {net.ParameterCount} parameters); trained in {trainSeconds:F0} s");
            var report = new JsonObject
            {
                ["labels"] = new JsonArray(dataset.Labels.Select(l => (JsonNode)l).ToArray()),
                ["arch"] = parse.GetValue(arch), ["width"] = ((Conv2D)net.Layers[0]).OutChannels, ["prune"] = pruneFraction, ["teacher"] = parse.GetValue(teacher)?.Name, ["epochs"] = options.Epochs, ["seed"] = options.Seed,
                ["learningRate"] = options.LearningRate, ["dropout"] = options.Dropout ?? Architectures.DefaultDropout(options.Architecture), ["specAugment"] = options.SpecAugment, ["trainClips"] = train.Length, ["validationClips"] = validation.Length,
                ["parameters"] = net.ParameterCount, ["tfliteBytes"] = tflite.Length, ["emmBytes"] = converted.Emm.Length,
                ["arenaBytes"] = summary.ArenaBytes, ["macs"] = summary.TotalMacs,
                ["floatValidationAccuracy"] = Math.Round(floatAccuracy, 4), ["int8ValidationAccuracy"] = Math.Round(int8Accuracy, 4),
                ["trainSeconds"] = Math.Round(trainSeconds),
                ["thresholds"] = storedThresholds == null ? null : new JsonArray(storedThresholds.Select(t => (JsonNode)(int)t).ToArray()),
            };
            File.WriteAllText(Path.ChangeExtension(tflitePath, ".report.json"), report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
