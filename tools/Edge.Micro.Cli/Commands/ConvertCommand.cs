using System.CommandLine;
using Edge.Micro.Converter;
using Edge.Micro.Converter.Emit;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Inspection;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro convert: .tflite to .emm plus the C array and the C# loader.</summary>
public static class ConvertCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "Quantized int8 TFLite model (.tflite)" };
        var outDir = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for name.emm, name.h, name.c and name.cs", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name (default: the file name without extension)" };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable summary" };
        var frontEnd = new Option<string?>("--frontend") { Description = "Record the front end the model needs, so detect and the device need no flags: micro or mfcc" };
        frontEnd.AcceptOnlyFromAmong("micro", "mfcc");
        var noSelfTest = new Option<bool>("--no-selftest") { Description = "Do not store the golden self-test case (saves the input and output bytes of flash)" };
        var appNamespace = new Option<string>("--namespace") { Description = $"Root namespace of the nanoFramework app that embeds the model: name.cs goes there, beside the Resources class nanoFramework generates (default {CSharpEmitter.DefaultNamespace}, the board app's)", DefaultValueFactory = _ => CSharpEmitter.DefaultNamespace };
        var threshold = Cli.StoredThresholdOption();
        var labels = new Option<string?>("--labels") { Description = "Labels in output order, for --threshold (default: known for micro_speech and DS-CNN)" };
        var command = new Command("convert", "Convert a .tflite model to the flat .emm format (also as a C array and a C# loader)")
        {
            model, outDir, name, json, frontEnd, noSelfTest, appNamespace, threshold, labels,
        };
        command.SetAction(parse =>
        {
            FileInfo file = parse.GetValue(model)!;
            if (!file.Exists)
            {
                throw new CliException($"model file not found: {file.FullName}");
            }

            string modelName = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(file.Name);
            string ns = parse.GetValue(appNamespace)!;
            if (!CSharpEmitter.IsNamespace(ns))
            {
                throw new CliException($"--namespace: '{ns}' is not a C# namespace name (e.g. MyCompany.Doorbell)");
            }

            int frontEndKind = parse.GetValue(frontEnd) switch
            {
                "micro" => Edge.Micro.Runtime.Format.EmmFormat.FrontEndMicro,
                "mfcc" => Edge.Micro.Runtime.Format.EmmFormat.FrontEndMfcc,
                _ => Edge.Micro.Runtime.Format.EmmFormat.FrontEndNone,
            };
            ThresholdChoice thresholds = Cli.Thresholds(parse.GetValue(threshold));
            byte[] tflite = File.ReadAllBytes(file.FullName);
            ConversionResult result = ModelConverter.Convert(tflite, modelName, frontEndKind, !parse.GetValue(noSelfTest));
            if (!thresholds.IsModelDefaults)
            {
                // The labels are known once the model's output count is.
                string[] labelList = Detector.LabelsFor(new Edge.Micro.Runtime.Model(result.Emm), parse.GetValue(labels) is string l ? Cli.CommaList(l) : null);
                result = ModelConverter.Convert(tflite, modelName, frontEndKind, !parse.GetValue(noSelfTest), thresholds.ForLabels(labelList));
            }
            DirectoryInfo dir = parse.GetValue(outDir)!;
            dir.Create();
            string baseName = CArrayEmitter.Identifier(modelName);
            string emmPath = Path.Combine(dir.FullName, baseName + ".emm");
            File.WriteAllBytes(emmPath, result.Emm);
            File.WriteAllText(Path.Combine(dir.FullName, baseName + ".h"), CArrayEmitter.Header(result.Graph, result.Emm));
            File.WriteAllText(Path.Combine(dir.FullName, baseName + ".c"), CArrayEmitter.Source(result.Graph, result.Emm, baseName + ".h"));
            File.WriteAllText(Path.Combine(dir.FullName, baseName + ".cs"), CSharpEmitter.Source(result.Graph, result.Emm, baseName + ".emm", ns));

            ModelSummary summary = ModelSummary.From(new Edge.Micro.Runtime.Model(result.Emm));
            if (parse.GetValue(json))
            {
                output.WriteLine(SummaryJson.Serialize(summary, includeParams: false));
            }
            else
            {
                output.WriteLine($"converted {file.Name} -> {emmPath}");
                output.WriteLine($"  model bytes  {summary.ModelBytes}");
                output.WriteLine($"  arena bytes  {summary.ArenaBytes} (lower bound {summary.ArenaLowerBound})");
                output.WriteLine($"  ops          {summary.Ops.Count}: {string.Join(", ", summary.Ops.Select(o => o.Op))}");
                output.WriteLine($"  MACs         {summary.TotalMacs}");
                output.WriteLine($"  also wrote   {baseName}.h, {baseName}.c (flash array), {baseName}.cs (nanoFramework loader)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
