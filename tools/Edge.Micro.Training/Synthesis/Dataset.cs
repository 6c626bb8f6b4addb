using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Micro.Training.Synthesis;

/// <summary>
/// A dataset on disk: <c>dataset.json</c> (labels, counts, seed, settings), <c>features.bin</c> (each clip's
/// 49x40 int8 features, in index order) and <c>manifest.csv</c> (one row per clip: label, split, text, voice,
/// speed, pitch, noise, SNR, effects).
/// </summary>
public sealed class Dataset
{
    /// <summary>File names inside a dataset folder.</summary>
    public const string DescriptionFile = "dataset.json", FeaturesFile = "features.bin", ManifestFile = "manifest.csv";

    /// <summary>Creates a dataset from its parts.</summary>
    public Dataset(string[] labels, sbyte[] features, int[] clipLabels, bool[] validation)
    {
        Labels = labels;
        Features = features;
        ClipLabels = clipLabels;
        Validation = validation;
    }

    /// <summary>Class names in model output order.</summary>
    public string[] Labels { get; }

    /// <summary>All clips' features, <see cref="SynthesisConstants.FeatureBytes"/> per clip.</summary>
    public sbyte[] Features { get; }

    /// <summary>Each clip's class index.</summary>
    public int[] ClipLabels { get; }

    /// <summary>True for clips of held-out voices (validation).</summary>
    public bool[] Validation { get; }

    /// <summary>Number of clips.</summary>
    public int Count => ClipLabels.Length;

    /// <summary>The features of clip <paramref name="index"/>.</summary>
    public ReadOnlySpan<sbyte> Clip(int index) => Features.AsSpan(index * SynthesisConstants.FeatureBytes, SynthesisConstants.FeatureBytes);

    /// <summary>Indices of the training or the validation clips.</summary>
    public int[] Split(bool validation) => Enumerable.Range(0, Count).Where(i => Validation[i] == validation).ToArray();

    /// <summary>Writes the dataset folder.</summary>
    public void Save(string folder, IReadOnlyList<ClipInfo> infos, JsonObject settings)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, FeaturesFile), (byte[])(Array)Features);
        using (var manifest = new StreamWriter(Path.Combine(folder, ManifestFile)))
        {
            manifest.WriteLine("index,label,split,text,voice,wpm,pitch,noise,snr_db,effects");
            foreach (ClipInfo c in infos)
            {
                manifest.WriteLine(ManifestRow(c));
            }
        }

        var description = new JsonObject
        {
            ["format"] = "edge-micro-dataset-1",
            ["labels"] = new JsonArray(Labels.Select(l => (JsonNode)l).ToArray()),
            ["clips"] = Count,
            ["featureBytesPerClip"] = SynthesisConstants.FeatureBytes,
            ["frontEnd"] = "micro (TFLM micro front end, 30 ms window, 20 ms stride, 40 channels, int8)",
            ["clipLabels"] = new JsonArray(ClipLabels.Select(l => (JsonNode)l).ToArray()),
            ["validation"] = new JsonArray(Validation.Select(v => (JsonNode)v).ToArray()),
            ["settings"] = settings,
        };
        File.WriteAllText(Path.Combine(folder, DescriptionFile), description.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    /// <summary>Reads a dataset folder written by <see cref="Save"/>, checking that its parts agree.</summary>
    public static Dataset Load(string folder)
    {
        string descriptionPath = Path.Combine(folder, DescriptionFile);
        if (!File.Exists(descriptionPath))
        {
            throw new InvalidDataException($"{folder} is not a dataset: {DescriptionFile} is missing (make one with edge-micro dataset)");
        }

        JsonObject d;
        try
        {
            d = JsonNode.Parse(File.ReadAllText(descriptionPath))!.AsObject();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{descriptionPath} is not valid JSON: {e.Message}");
        }

        if ((string?)d["format"] != "edge-micro-dataset-1")
        {
            throw new InvalidDataException($"{descriptionPath}: unknown dataset format '{d["format"]}'");
        }

        string[] labels = d["labels"]!.AsArray().Select(n => (string)n!).ToArray();
        int[] clipLabels = d["clipLabels"]!.AsArray().Select(n => (int)n!).ToArray();
        bool[] validation = d["validation"]!.AsArray().Select(n => (bool)n!).ToArray();
        byte[] bytes = File.ReadAllBytes(Path.Combine(folder, FeaturesFile));
        if (bytes.Length != clipLabels.Length * SynthesisConstants.FeatureBytes || validation.Length != clipLabels.Length)
        {
            throw new InvalidDataException($"{folder}: {FeaturesFile} holds {bytes.Length} bytes, expected {clipLabels.Length} clips of {SynthesisConstants.FeatureBytes}");
        }

        if (clipLabels.Any(l => l < 0 || l >= labels.Length))
        {
            throw new InvalidDataException($"{descriptionPath}: a clip label is outside 0..{labels.Length - 1}");
        }

        return new Dataset(labels, (sbyte[])(Array)bytes, clipLabels, validation);
    }

    /// <summary>The settings a dataset folder was made with (dataset.json's "settings": the builder's, and those of any clips added later).</summary>
    public static JsonObject Settings(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, DescriptionFile)))?["settings"]?.AsObject()
        ?? throw new InvalidDataException($"{Path.Combine(folder, DescriptionFile)} records no settings");

    /// <summary>
    /// Writes to <paramref name="destination"/> this dataset, as loaded from <paramref name="source"/> (whose
    /// manifest and description it copies), plus more clips (their features,
    /// <see cref="SynthesisConstants.FeatureBytes"/> each, and manifest rows, numbered on from the last clip);
    /// their settings are recorded in dataset.json under <paramref name="settingsKey"/>.
    /// </summary>
    public void SaveExtended(string source, string destination, sbyte[] features, IReadOnlyList<ClipInfo> infos, string settingsKey, JsonObject settings)
    {
        if (features.Length != infos.Count * SynthesisConstants.FeatureBytes || infos.Any(c => c.Label < 0 || c.Label >= Labels.Length))
        {
            throw new ArgumentException("each added clip needs its features and a label of the dataset");
        }

        JsonObject description = JsonNode.Parse(File.ReadAllText(Path.Combine(source, DescriptionFile)))!.AsObject();
        if ((int?)description["clips"] != Count)
        {
            throw new ArgumentException($"{source} is not the dataset being extended: it holds {description["clips"]} clips, not {Count}");
        }

        if (description["settings"]?[settingsKey] is not null)
        {
            throw new InvalidDataException($"{source} already holds clips added as '{settingsKey}'; extend the dataset it was made from");
        }

        string manifest = File.ReadAllText(Path.Combine(source, ManifestFile));
        Directory.CreateDirectory(destination);
        using (var output = File.Create(Path.Combine(destination, FeaturesFile)))
        {
            output.Write((byte[])(Array)Features);
            output.Write((byte[])(Array)features);
        }

        using (var writer = new StreamWriter(Path.Combine(destination, ManifestFile)))
        {
            writer.Write(manifest);
            foreach (ClipInfo c in infos.Select((c, i) => c with { Index = Count + i }))
            {
                writer.WriteLine(ManifestRow(c));
            }
        }

        description["clips"] = Count + infos.Count;
        description["clipLabels"] = new JsonArray(ClipLabels.Concat(infos.Select(c => c.Label)).Select(l => (JsonNode)l).ToArray());
        description["validation"] = new JsonArray(Validation.Concat(infos.Select(c => c.Validation)).Select(v => (JsonNode)v).ToArray());
        description["settings"]![settingsKey] = settings;
        File.WriteAllText(Path.Combine(destination, DescriptionFile), description.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    private static string ManifestRow(ClipInfo c) =>
        string.Join(',', c.Index.ToString(CultureInfo.InvariantCulture), c.LabelName, c.Validation ? "validation" : "train",
            Quote(c.Text), c.Voice, c.WordsPerMinute, c.Pitch, c.Noise, c.SnrDb, c.Effects);

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
