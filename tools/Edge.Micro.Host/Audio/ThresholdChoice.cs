using Edge.Micro.Audio.Recognition;
using Edge.Micro.Runtime;

namespace Edge.Micro.Host.Audio;

/// <summary>
/// Detection thresholds asked for on a command line, over the ones the model stores (<see cref="ModelThresholds"/>):
/// one score for every label ("190"), or scores for named labels ("no=180" or "yes=205,no=180"), the other labels
/// keeping the model's.
/// </summary>
public sealed class ThresholdChoice
{
    private readonly int? _every;
    private readonly (string Label, int Score)[] _perLabel;

    private ThresholdChoice(int? every, (string, int)[] perLabel)
    {
        _every = every;
        _perLabel = perLabel;
    }

    /// <summary>The model's stored thresholds, or TFLM's 200 for a model without them.</summary>
    public static ThresholdChoice ModelDefaults { get; } = new(null, []);

    /// <summary>One score for every label.</summary>
    public static ThresholdChoice Every(int score) => new(CheckScore(score, "the threshold"), []);

    /// <summary>
    /// Reads "190" or "label=score[,label=score...]"; null or empty: <see cref="ModelDefaults"/>. Throws
    /// <see cref="FormatException"/> with what to write instead.
    /// </summary>
    public static ThresholdChoice Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ModelDefaults;
        }

        if (int.TryParse(text, out int every))
        {
            return Every(every);
        }

        var perLabel = new List<(string, int)>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] pair = part.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0 || !int.TryParse(pair[1], out int score))
            {
                throw new FormatException($"'{part}' is not a threshold: give one score for every label (e.g. 190) or label=score pairs (e.g. yes=200,no=180)");
            }

            perLabel.Add((pair[0], CheckScore(score, $"the threshold of '{pair[0]}'")));
        }

        return new ThresholdChoice(null, perLabel.ToArray());
    }

    /// <summary>True when nothing was asked for: the model's stored thresholds apply.</summary>
    public bool IsModelDefaults => _every == null && _perLabel.Length == 0;

    /// <summary>Sets the recognizer's thresholds: the model's stored ones, then the ones asked for.</summary>
    public void Apply(Model model, KeywordRecognizer recognizer)
    {
        ModelThresholds.Apply(model, recognizer);
        Override(recognizer);
    }

    /// <summary>The threshold each label gets on <paramref name="model"/>, in label order.</summary>
    public int[] Resolve(Model model, string[] labels)
    {
        var recognizer = new KeywordRecognizer(labels, Detector.IgnoredLabels);
        Apply(model, recognizer);
        return Thresholds(recognizer);
    }

    /// <summary>The threshold of each label that can fire (not silence or unknown) on <paramref name="model"/>, in label order.</summary>
    public (string Keyword, int Threshold)[] ForKeywords(Model model, string[] labels)
    {
        int[] all = Resolve(model, labels);
        return labels.Select((label, i) => (label, all[i])).Where(p => !Detector.IgnoredLabels.Contains(p.label)).ToArray();
    }

    /// <summary>The keywords' thresholds on <paramref name="model"/> as text, e.g. "yes 200, no 180".</summary>
    public string Describe(Model model, string[] labels) =>
        string.Join(", ", ForKeywords(model, labels).Select(k => $"{k.Keyword} {k.Threshold}"));

    /// <summary>
    /// The thresholds to store in a model with these labels (convert and train --threshold): the ones asked for,
    /// TFLM's 200 for the labels not named.
    /// </summary>
    public byte[] ForLabels(string[] labels)
    {
        var recognizer = new KeywordRecognizer(labels, Detector.IgnoredLabels);
        Override(recognizer);
        return Thresholds(recognizer).Select(t => (byte)t).ToArray();
    }

    private void Override(KeywordRecognizer recognizer)
    {
        for (int i = 0; _every is int score && i < recognizer.Labels.Length; i++)
        {
            recognizer.SetThreshold(i, score);
        }

        foreach ((string label, int score) in _perLabel)
        {
            int index = recognizer.IndexOf(label);
            if (index < 0)
            {
                throw new ArgumentException($"a threshold is given for '{label}', which is not one of the model's labels ({string.Join(", ", recognizer.Labels)})");
            }

            recognizer.SetThreshold(index, score);
        }
    }

    private static int[] Thresholds(KeywordRecognizer recognizer) => Enumerable.Range(0, recognizer.Labels.Length).Select(recognizer.GetThreshold).ToArray();

    /// <inheritdoc/>
    public override string ToString() =>
        _every is int score ? score.ToString() : _perLabel.Length == 0 ? "the model's" : string.Join(",", _perLabel.Select(p => $"{p.Label}={p.Score}"));

    private static int CheckScore(int score, string what) =>
        score is >= 0 and <= 255 ? score : throw new FormatException($"{what} is {score}: scores run from 0 to 255");
}
