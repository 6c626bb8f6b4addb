using System.CommandLine;
using System.Text.Json.Nodes;
using Edge.Micro.Host;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Host.Plots;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro detect: keyword detections in a WAV file with the streaming device pipeline.</summary>
public static class DetectCommand
{
    public static Command Create(TextWriter output)
    {
        var wav = new Argument<FileInfo>("wav") { Description = "WAV file (16 kHz mono 16-bit used as is; other formats are converted)" };
        var model = new Option<FileInfo>("--model", "-m") { Description = "Keyword model (.tflite or .emm)", Required = true };
        var kernels = Cli.KernelsOption();
        var labels = new Option<string?>("--labels") { Description = "Comma-separated labels in output order (default: known for micro_speech and DS-CNN)" };
        var every = new Option<int>("--every") { Description = "Run the model every N feature frames of 20 ms (default 1)", DefaultValueFactory = _ => 1 };
        var plot = new Option<FileInfo?>("--plot") { Description = "Draw the features and each label's smoothed score over time to a PNG" };
        var threshold = Cli.ThresholdOption("");
        var pad = new Option<int>("--pad-ms") { Description = "Digital silence appended to the recording, so a short clip is seen through the whole 1 s window (default 1000)", DefaultValueFactory = _ => 1000 };
        var json = new Option<bool>("--json") { Description = "Print {\"detections\":[{\"label\",\"timeMs\",\"score\"}],\"frames\":N}" };
        var command = new Command("detect", "Find keywords in a WAV file, the way the device does (streaming front end, model, recognizer)")
        {
            wav, model, kernels, labels, every, threshold, pad, plot, json,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(every) < 1)
            {
                throw new CliException("--every must be at least 1");
            }

            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            WavReader.Result audio = WavReader.Read(parse.GetValue(wav)!.FullName);
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            string[] labelList = Detector.LabelsFor(loaded.Model, parse.GetValue(labels)?.Split(',', StringSplitOptions.TrimEntries));
            int padSamples = Math.Max(0, parse.GetValue(pad)) * WavReader.TargetSampleRate / 1000;
            var samples = new short[audio.Samples.Length + padSamples];
            audio.Samples.CopyTo(samples, 0);
            ThresholdChoice thresholds = Cli.Thresholds(parse.GetValue(threshold));
            DetectionRun run = Detector.Run(loaded.Model, samples, kernelSet, labelList, kernelSet.Name == "native", parse.GetValue(every), thresholds);
            if (parse.GetValue(json))
            {
                var detections = new JsonArray(run.Detections.Select(d => (JsonNode)new JsonObject
                {
                    ["label"] = d.Label, ["timeMs"] = d.TimeMs, ["score"] = d.Score,
                }).ToArray());
                output.WriteLine(new JsonObject { ["detections"] = detections, ["frames"] = run.Frames }.ToJsonString());
            }
            else
            {
                output.WriteLine($"{parse.GetValue(wav)!.Name}: {audio.Samples.Length / 16.0:F0} ms of audio ({audio.Description}{(audio.Converted ? ", converted to 16 kHz mono" : "")}), {run.Frames} frames ({parse.GetValue(pad)} ms of silence appended), {kernelSet.Name} kernels, thresholds {thresholds.Describe(loaded.Model, labelList)}");
                foreach (Detection d in run.Detections)
                {
                    output.WriteLine($"  {d.TimeMs,7} ms  {d.Label,-10} score {d.Score}");
                }

                output.WriteLine(run.Detections.Count == 0 ? "  no keyword detected" : $"{run.Detections.Count} detection(s)");
            }

            if (parse.GetValue(plot) is FileInfo png)
            {
                DetectionPlot.Save(run, png.FullName);
                if (!parse.GetValue(json))
                {
                    output.WriteLine($"plot written to {png.FullName}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
