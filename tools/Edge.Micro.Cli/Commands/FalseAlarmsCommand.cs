using System.CommandLine;
using System.Globalization;
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
        var models = new Argument<FileInfo[]>("models") { Description = "Keyword models (.tflite or .emm) with the yes/no labels, compared on the same streams", Arity = ArgumentArity.OneOrMore };
        var noise = new Option<FileInfo>("--noise") { Description = "Noise recording to mix under the speech, looped (e.g. the corpus's noise_1000ms.wav)", Required = true };
        var streams = new Option<string>("--streams") { Description = $"Comma-separated streams: {string.Join(", ", KeywordFreeSpeech.All.Select(s => $"{s.Name} ({s.Description}, {s.VoiceSet} voices)"))}", DefaultValueFactory = _ => string.Join(',', KeywordFreeSpeech.All.Select(s => s.Name)) };
        var voices = new Option<string?>("--voices") { Description = "Speak every stream with these voices instead of its own: training, held-out, or a comma-separated list of espeak-ng voices (e.g. en-us+m1,de+f2)" };
        var snrs = new Option<string>("--snr") { Description = "Comma-separated signal-to-noise ratios in dB (default 0,5,10,20)", DefaultValueFactory = _ => "0,5,10,20" };
        var kernels = Cli.KernelsOption();
        var command = new Command("false-alarms", "Count the detections models raise on keyword-free running speech (espeak-ng) in a recorded noise: every one is a false alarm")
        {
            models, noise, streams, voices, snrs, kernels,
        };
        command.SetAction(parse =>
        {
            KeywordFreeStream[] chosen = Cli.CommaList(parse.GetValue(streams)!).Select(StreamNamed).ToArray();
            if (parse.GetValue(voices) is string voiceChoice)
            {
                string[] speakers = VoicesFor(voiceChoice);
                string voiceSet = voiceChoice is "training" or "held-out" ? voiceChoice : $"{speakers.Length} listed";
                chosen = chosen.Select(s => s with { Voices = speakers, VoiceSet = voiceSet }).ToArray();
            }

            int[] sweep = Cli.CommaList(parse.GetValue(snrs)!).Select(SnrValue).ToArray();
            if (chosen.Length == 0 || sweep.Length == 0)
            {
                throw new CliException("give at least one stream (--streams) and one signal-to-noise ratio (--snr)");
            }

            FileInfo noiseFile = parse.GetValue(noise)!;
            if (!noiseFile.Exists)
            {
                throw new CliException($"noise file not found: {noiseFile.FullName}");
            }

            // An empty recording (KeywordFreeSpeech.WithNoise) and a missing espeak-ng (Espeak.Render) are refused
            // with their own messages.
            short[] noiseSamples = WavReader.Read(noiseFile.FullName).Samples;

            FileInfo[] files = parse.GetValue(models)!;
            LoadedModel[] loaded = files.Select(f => LoadedModel.Load(f.FullName)).ToArray();
            string[][] labels = loaded.Select(m => LabelsOf(m)).ToArray();
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            bool nativeFrontEnd = kernelSet.Name == "native";
            int nameWidth = Math.Max(12, files.Max(f => f.Name.Length));
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
                        IReadOnlyList<Detection> detections = Detector.Run(loaded[m].Model, mixed[s], kernelSet, labels[m], nativeFrontEnd).Detections;
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

    private static string[] VoicesFor(string choice) => choice switch
    {
        "training" => KeywordFreeSpeech.TrainingVoices,
        "held-out" => KeywordFreeSpeech.HeldOutVoices,
        _ => Cli.CommaList(choice) is { Length: > 0 } list
            ? list
            : throw new CliException("--voices takes training, held-out or a comma-separated list of espeak-ng voices"),
    };

    private static int SnrValue(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int snr) && snr is >= -20 and <= 60
            ? snr
            : throw new CliException($"--snr takes whole decibels from -20 to 60, not '{text}'");

    private static string[] LabelsOf(LoadedModel model)
    {
        try
        {
            return Detector.LabelsFor(model.Model, null);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{model.Path}: {e.Message}");
        }
    }
}
