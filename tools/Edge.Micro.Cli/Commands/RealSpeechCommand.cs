using System.CommandLine;
using System.Text.Json;
using Edge.Micro.Host;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Training.Evaluation;

namespace Edge.Micro.Cli.Commands;

/// <summary>
/// edge-micro real-speech: models side by side on real human recordings (a folder laid out as
/// ../shared/realspeech): per-keyword recall on word clips through the streaming recognizer, other words taken
/// for a keyword, and false detections per hour on continuous speech in real noise.
/// </summary>
public static class RealSpeechCommand
{
    public static Command Create(TextWriter output)
    {
        var models = SpeechStreamOptions.Models("the same recordings");
        var data = new Option<DirectoryInfo>("--data") { Description = "Real-speech folder with split.tsv (e.g. ../shared/realspeech)", Required = true };
        var split = new Option<string>("--split") { Description = "Split to measure: dev (for choosing and tuning) or test (final numbers only)", DefaultValueFactory = _ => "dev" };
        var snrs = new Option<string>("--snr") { Description = "Comma-separated SNRs in dB for the continuous speech in the split's noise (default 20,10,5)", DefaultValueFactory = _ => "20,10,5" };
        var silence = new Option<FileInfo?>("--silence") { Description = "Recording looped 1 s before and 2 s after each word clip (e.g. the corpus's silence_1000ms.wav); default: digital silence" };
        var threshold = Cli.ThresholdOption("for every model");
        var heldOut = new Option<double?>("--held-out")
        {
            Description = "Measure only the speakers that a dataset built with --validation <share> holds out of training (e.g. 0.1, the dataset default): "
                + "on dev, what models trained on dev never heard",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per model" };
        var kernels = Cli.KernelsOption();
        var command = new Command("real-speech", "Measure keyword models on real human speech: recall per keyword, other words taken for a keyword, false detections per hour in real noise")
        {
            models, data, split, snrs, silence, threshold, heldOut, json, kernels,
        };
        command.SetAction(parse =>
        {
            RealSpeechSet set = RealSpeechSet.Load(parse.GetValue(data)!.FullName);
            string chosenSplit = parse.GetValue(split)!;
            if (!set.Splits.Contains(chosenSplit))
            {
                throw new CliException($"--split: the set has no split '{chosenSplit}' (it has {string.Join(", ", set.Splits)})");
            }

            ThresholdChoice thresholds = Cli.Thresholds(parse.GetValue(threshold));
            double? share = parse.GetValue(heldOut);
            if (share is <= 0 or > 1)
            {
                throw new CliException("--held-out takes a share of speakers above 0 and at most 1 (the dataset's --validation, 0.1 by default)");
            }

            short[] silenceSamples = parse.GetValue(silence) is FileInfo s ? SpeechStreamOptions.ReadNoise(s) : [];
            var options = new RealSpeechOptions(chosenSplit, SpeechStreamOptions.SnrSweep(parse.GetValue(snrs)!), silenceSamples, thresholds, share);
            FileInfo[] files = parse.GetValue(models)!;
            (LoadedModel[] loaded, string[][] labels) = SpeechStreamOptions.Load(files);
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                output.WriteLine(Describe(set, options, parse.GetValue(silence)));
            }

            int nameWidth = Math.Max(12, files.Max(f => f.Name.Length));
            for (int m = 0; m < loaded.Length; m++)
            {
                (string Keyword, int Threshold)[] used = thresholds.ForKeywords(loaded[m].Model, labels[m]);
                Console.Error.WriteLine($"measuring {files[m].Name} ...");
                RealSpeechResult r = RealSpeechEvaluation.Evaluate(loaded[m].Model, labels[m], kernelSet, kernelSet.Name == "native", set, options);
                output.WriteLine(asJson
                    ? Json(files[m].Name, options, r, used)
                    : Row(files[m].Name.PadRight(nameWidth), r, m == 0 ? nameWidth : -1, used.Select(k => k.Threshold)));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Describe(RealSpeechSet set, RealSpeechOptions options, FileInfo? silence)
    {
        string split = options.Split;
        int Count(string label) => set.Of(split, label).Count(options.Includes);
        int speech = set.Of(split, "speech").Count(options.Includes), keywordFree = set.KeywordFreeSpeech(split).Count(options.Includes);
        string speakers = options.HeldOutFraction is double share
            ? $", only the speakers a dataset with --validation {share} holds out ({set.Recordings.Where(r => r.Split == split && options.Includes(r)).Select(r => r.Speaker).Distinct().Count()})"
            : "";
        return $"{set.Folder}, split {split}{speakers}: {Count("yes")} yes, {Count("no")} no, {Count("unknown")} other words, " +
            $"{keywordFree} continuous-speech files ({speech - keywordFree} holding a keyword left out) in {set.Of(split, "noise").Count()} noise recording(s); " +
            $"word clips between {(silence == null ? "digital silence" : silence.Name)} (1 s before, 2 s after)";
    }

    // Header (first model only) and one row: found/clips (recall) per keyword, other words taken, false detections per hour at each SNR.
    private static string Row(string name, RealSpeechResult r, int headerWidth, IEnumerable<int> thresholds)
    {
        string header = headerWidth < 0 ? "" :
            "model".PadRight(headerWidth) + string.Concat(r.Keywords.Select(k => $"{k.Keyword + " found",16}")) + $"{"other words taken",20}" +
            string.Concat(r.Streams.Select(s => $"{$"false/h {s.SnrDb} dB",16}")) + $"{"thresholds",14}" + "\n";
        return header + name +
            string.Concat(r.Keywords.Select(k => $"{$"{k.Found}/{k.Clips} {k.Recall:P0}",16}")) +
            $"{$"{r.OtherWordsTaken}/{r.OtherWords}",20}" +
            string.Concat(r.Streams.Select(s => $"{$"{s.PerHour:F0} ({s.Detections})",16}")) +
            $"{string.Join("/", thresholds),14}";
    }

    private static string Json(string name, RealSpeechOptions o, RealSpeechResult r, (string Keyword, int Threshold)[] thresholds) => JsonSerializer.Serialize(new
    {
        model = name,
        split = o.Split,
        thresholds = thresholds.Select(k => new { keyword = k.Keyword, threshold = k.Threshold }),
        keywords = r.Keywords.Select(k => new { keyword = k.Keyword, found = k.Found, otherKeyword = k.OtherKeyword, clips = k.Clips }),
        otherWords = new { taken = r.OtherWordsTaken, clips = r.OtherWords },
        speech = r.Streams.Select(s => new { snrDb = s.SnrDb, detections = s.Detections, seconds = Math.Round(s.Seconds, 1), perHour = Math.Round(s.PerHour, 1) }),
    });
}
