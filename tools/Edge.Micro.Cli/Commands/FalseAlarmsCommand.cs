using System.CommandLine;
using Edge.Micro.Host;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>
/// edge-micro false-alarms: counts the detections (all false) that models raise on keyword-free running
/// speech in a recorded noise, over a sweep of signal-to-noise ratios, the way <c>detect</c> finds them.
/// </summary>
public static class FalseAlarmsCommand
{
    public static Command Create(TextWriter output)
    {
        var models = SpeechStreamOptions.Models("the same streams");
        var noise = SpeechStreamOptions.Noise();
        var streams = new Option<string>("--streams") { Description = $"Comma-separated streams: {string.Join(", ", KeywordFreeSpeech.All.Select(s => $"{s.Name} ({s.Description}, {s.VoiceSet} voices)"))}", DefaultValueFactory = _ => string.Join(',', KeywordFreeSpeech.All.Select(s => s.Name)) };
        var voices = new Option<string?>("--voices") { Description = "Speak every stream with these voices instead of its own: training, held-out, or a comma-separated list of espeak-ng voices (e.g. en-us+m1,de+f2)" };
        var snrs = SpeechStreamOptions.Snr();
        var threshold = Cli.ThresholdOption("for every model");
        var kernels = Cli.KernelsOption();
        var command = new Command("false-alarms", "Count the detections models raise on keyword-free running speech (espeak-ng) in a recorded noise: every one is a false alarm")
        {
            models, noise, streams, voices, snrs, threshold, kernels,
        };
        command.SetAction(parse =>
        {
            KeywordFreeStream[] chosen = Cli.CommaList(parse.GetValue(streams)!).Select(StreamNamed).ToArray();
            if (parse.GetValue(voices) is string voiceChoice)
            {
                string[] speakers = SpeechStreamOptions.VoicesFor(voiceChoice);
                string voiceSet = voiceChoice is "training" or "held-out" ? voiceChoice : $"{speakers.Length} listed";
                chosen = chosen.Select(s => s with { Voices = speakers, VoiceSet = voiceSet }).ToArray();
            }

            if (chosen.Length == 0)
            {
                throw new CliException("give at least one stream (--streams)");
            }

            int[] sweep = SpeechStreamOptions.SnrSweep(parse.GetValue(snrs)!);

            // An empty recording (KeywordFreeSpeech.WithNoise) and a missing espeak-ng (Espeak.Render) are refused
            // with their own messages.
            FileInfo noiseFile = parse.GetValue(noise)!;
            short[] noiseSamples = SpeechStreamOptions.ReadNoise(noiseFile);

            FileInfo[] files = parse.GetValue(models)!;
            (LoadedModel[] loaded, string[][] labels) = SpeechStreamOptions.Load(files);
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            ThresholdChoice thresholds = Cli.Thresholds(parse.GetValue(threshold));
            string[] used = SpeechStreamOptions.DescribeThresholds(files, loaded, labels, thresholds);
            bool nativeFrontEnd = kernelSet.Name == "native";
            int nameWidth = Math.Max(12, files.Max(f => f.Name.Length));
            foreach (string line in used)
            {
                output.WriteLine(line);
            }

            foreach (KeywordFreeStream stream in chosen)
            {
                Console.Error.WriteLine($"rendering '{stream.Name}' with espeak-ng ...");
                float[] speech = KeywordFreeSpeech.Render(stream);
                output.WriteLine($"{stream.Name}: {stream.Description}, {stream.Sentences.Length} sentences x {KeywordFreeSpeech.Repeats} by {stream.VoiceSet} voices, {speech.Length / SynthesisConstants.SampleRate} s, in {noiseFile.Name}");
                output.WriteLine("  " + "model".PadRight(nameWidth) + string.Concat(sweep.Select(s => $"{s + " dB",8}")) + "   total   detections");
                short[][] mixed = sweep.Select(s => KeywordFreeSpeech.WithNoise(speech, noiseSamples, s)).ToArray();
                for (int m = 0; m < loaded.Length; m++)
                {
                    var counts = new int[sweep.Length];
                    var found = new List<string>();
                    for (int s = 0; s < sweep.Length; s++)
                    {
                        IReadOnlyList<Detection> detections = Detector.Run(loaded[m].Model, mixed[s], kernelSet, labels[m], nativeFrontEnd, thresholds: thresholds, withFeatures: false).Detections;
                        counts[s] = detections.Count;
                        found.AddRange(detections.Select(d => $"{d.Label}@{d.TimeMs / 1000.0:F1}s/{sweep[s]}dB"));
                    }

                    output.WriteLine("  " + files[m].Name.PadRight(nameWidth) + string.Concat(counts.Select(c => $"{c,8}")) + $"{counts.Sum(),8}   {string.Join(' ', found)}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static KeywordFreeStream StreamNamed(string name) =>
        KeywordFreeSpeech.All.FirstOrDefault(s => s.Name == name)
        ?? throw new CliException($"unknown stream '{name}'; choose from {string.Join(", ", KeywordFreeSpeech.All.Select(s => s.Name))}");
}
