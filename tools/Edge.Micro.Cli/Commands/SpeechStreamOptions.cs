using System.CommandLine;
using System.Globalization;
using Edge.Micro.Host;
using Edge.Micro.Host.Audio;
using Edge.Micro.Training.Evaluation;

namespace Edge.Micro.Cli.Commands;

/// <summary>
/// What false-alarms and recall share: the models compared, the recorded noise mixed under synthesized speech,
/// the signal-to-noise sweep and the voices.
/// </summary>
public static class SpeechStreamOptions
{
    public static Argument<FileInfo[]> Models(string comparedOn) =>
        new("models") { Description = $"Keyword models (.tflite or .emm) with the yes/no labels, compared on {comparedOn}", Arity = ArgumentArity.OneOrMore };

    public static Option<FileInfo> Noise() =>
        new("--noise") { Description = "Noise recording to mix under the speech, looped (e.g. the corpus's noise_1000ms.wav)", Required = true };

    public static Option<string> Snr() =>
        new("--snr") { Description = "Comma-separated signal-to-noise ratios in dB (default 0,5,10,20)", DefaultValueFactory = _ => "0,5,10,20" };

    /// <summary>The SNR sweep; refused when empty or out of -20..60 dB.</summary>
    public static int[] SnrSweep(string text)
    {
        int[] sweep = Cli.CommaList(text).Select(SnrValue).ToArray();
        return sweep.Length > 0 ? sweep : throw new CliException("give at least one signal-to-noise ratio (--snr)");
    }

    /// <summary>The noise recording's samples; refused when the file is missing.</summary>
    public static short[] ReadNoise(FileInfo file) =>
        file.Exists ? WavReader.Read(file.FullName).Samples : throw new CliException($"noise file not found: {file.FullName}");

    /// <summary>Voices named by training, held-out or a comma-separated list.</summary>
    public static string[] VoicesFor(string choice) => choice switch
    {
        "training" => KeywordFreeSpeech.TrainingVoices,
        "held-out" => KeywordFreeSpeech.HeldOutVoices,
        _ => Cli.CommaList(choice) is { Length: > 0 } list
            ? list
            : throw new CliException("--voices takes training, held-out or a comma-separated list of espeak-ng voices"),
    };

    /// <summary>Loads the models and their labels (a known model's, by output count).</summary>
    public static (LoadedModel[] Models, string[][] Labels) Load(FileInfo[] files)
    {
        LoadedModel[] loaded = files.Select(f => LoadedModel.Load(f.FullName)).ToArray();
        return (loaded, loaded.Select(LabelsOf).ToArray());
    }

    /// <summary>
    /// One line per model naming the thresholds it runs at (<paramref name="thresholds"/> over its stored ones);
    /// a threshold for a label a model lacks is refused here, before any speech is rendered.
    /// </summary>
    public static string[] DescribeThresholds(FileInfo[] files, LoadedModel[] models, string[][] labels, ThresholdChoice thresholds) =>
        models.Select((model, m) => $"{files[m].Name}: thresholds {thresholds.Describe(model.Model, labels[m])}").ToArray();

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
