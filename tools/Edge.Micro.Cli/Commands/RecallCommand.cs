using System.CommandLine;
using Edge.Micro.Host;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>
/// edge-micro recall: how many spoken keywords models find in running speech (questions answered "Yes." or
/// "No.", espeak-ng) in a recorded noise, over a sweep of signal-to-noise ratios; the counterpart of false-alarms.
/// </summary>
public static class RecallCommand
{
    public static Command Create(TextWriter output)
    {
        var models = SpeechStreamOptions.Models("the same stream");
        var noise = SpeechStreamOptions.Noise();
        var voices = new Option<string>("--voices") { Description = "Voices: held-out (default, voices no training clip used), training, or a comma-separated list of espeak-ng voices", DefaultValueFactory = _ => "held-out" };
        var snrs = SpeechStreamOptions.Snr();
        var threshold = Cli.ThresholdOption("for every model");
        var kernels = Cli.KernelsOption();
        var command = new Command("recall", $"Count the keywords models find in running speech: {KeywordAnswers.Questions.Length} questions per voice answered yes or no (espeak-ng), in a recorded noise")
        {
            models, noise, voices, snrs, threshold, kernels,
        };
        command.SetAction(parse =>
        {
            string[] speakers = SpeechStreamOptions.VoicesFor(parse.GetValue(voices)!);
            int[] sweep = SpeechStreamOptions.SnrSweep(parse.GetValue(snrs)!);
            FileInfo noiseFile = parse.GetValue(noise)!;
            short[] noiseSamples = SpeechStreamOptions.ReadNoise(noiseFile);
            FileInfo[] files = parse.GetValue(models)!;
            (LoadedModel[] loaded, string[][] labels) = SpeechStreamOptions.Load(files);
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            ThresholdChoice thresholds = Cli.Thresholds(parse.GetValue(threshold));
            string[] used = SpeechStreamOptions.DescribeThresholds(files, loaded, labels, thresholds);

            Console.Error.WriteLine("rendering the answers with espeak-ng ...");
            (float[] speech, SpokenKeyword[] keywords) = KeywordAnswers.Render(speakers);
            output.WriteLine($"answers: {keywords.Length} keywords ({keywords.Count(k => k.Keyword == "yes")} yes, {keywords.Count(k => k.Keyword == "no")} no) by {speakers.Length} voices, {speech.Length / SynthesisConstants.SampleRate} s, in {noiseFile.Name}");
            foreach (string line in used)
            {
                output.WriteLine(line);
            }

            output.WriteLine("hits of " + keywords.Length + " (wrong or extra detections in brackets)");
            int nameWidth = Math.Max(12, files.Max(f => f.Name.Length));
            output.WriteLine("  " + "model".PadRight(nameWidth) + string.Concat(sweep.Select(s => $"{s + " dB",10}")) + "     total");
            short[][] mixed = sweep.Select(s => KeywordFreeSpeech.WithNoise(speech, noiseSamples, s)).ToArray();
            for (int m = 0; m < loaded.Length; m++)
            {
                AnswerScore[] scores = mixed.Select(stream => KeywordAnswers.Score(keywords,
                    Detector.Run(loaded[m].Model, stream, kernelSet, labels[m], kernelSet.Name == "native", thresholds: thresholds, withFeatures: false).Detections.Select(d => (d.Label, d.TimeMs)))).ToArray();
                output.WriteLine("  " + files[m].Name.PadRight(nameWidth) + string.Concat(scores.Select(s => $"{$"{s.Hits} ({s.WrongOrExtra})",10}"))
                    + $"{$"{scores.Sum(s => s.Hits)} ({scores.Sum(s => s.WrongOrExtra)})",10}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
